package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
BenchmarkNormalize/short/impl=sqlnorm-2         	  373867	       800 ns/op	 127.80 MB/s	     108 B/op	       1 allocs/op
BenchmarkNormalize/short/impl=sqlnorm-2         	  373867	       900 ns/op	 127.80 MB/s	     108 B/op	       1 allocs/op
BenchmarkNormalize/short/impl=sqlnorm-2         	  373867	      5000 ns/op	 127.80 MB/s	     108 B/op	       1 allocs/op
BenchmarkNormalize/short/impl=sqllexer-2        	   93963	      3000 ns/op	  28.31 MB/s	     609 B/op	      16 allocs/op
BenchmarkNormalize/short/impl=sqllexer-2        	   93963	      2700 ns/op	  28.31 MB/s	     609 B/op	      16 allocs/op
BenchmarkNormalize/short/impl=sqllexer-2        	   93963	     20000 ns/op	  28.31 MB/s	     609 B/op	      16 allocs/op
BenchmarkNormalize/512B/impl=sqlnorm-2          	  145176	      2700 ns/op	 193.33 MB/s	     448 B/op	       1 allocs/op
BenchmarkNormalize/512B/impl=sqllexer-2         	   28068	     11999 ns/op	  43.50 MB/s	    1768 B/op	      36 allocs/op
`
	res, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	met := report(&out, res)
	s := out.String()
	if met {
		t.Error("4KB and 100KB are missing: not all goals met")
	}
	if !strings.Contains(s, "| short | 900 ns | 3.00 µs | 3.75x | 1 | 16 | >= 3x | yes |") {
		t.Errorf("short row wrong:\n%s", s)
	}
	if !strings.Contains(s, "| 512B | 2.70 µs | 12.00 µs | 4.44x | 1 | 36 | >= 2x | yes |") {
		t.Errorf("512B row wrong:\n%s", s)
	}
	if !strings.Contains(s, "| 4KB | n/a") {
		t.Errorf("4KB row wrong:\n%s", s)
	}
}
