// Package confkeys refuses configuration keys that no field of the target struct takes.
//
// confmap decodes a struct that squash-embeds a confmap.Unmarshaler (confighttp.ServerConfig,
// for one) with unused keys ignored, for the whole rest of the struct: a misspelt key is then
// dropped without a word. A component config in that position checks its keys with Check
// before decoding.
package confkeys

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/confmap"
)

// Check returns an *UnknownKeysError naming every unknown key (sorted, each as a full path
// with confmap's "::" separator) of raw against the mapstructure fields of target's type:
// squash-embedded structs are flattened into their parent, configoptional.Optional[T] is
// checked as T, slices element-wise; maps and types that decode themselves (a
// confmap.Unmarshaler other than a squashed one, an encoding.TextUnmarshaler) take any key.
//
// target is typically the config that calls Check from its own Unmarshal: its own keys are
// checked even though it is a confmap.Unmarshaler.
func Check(raw map[string]any, target any) error {
	t := reflect.TypeOf(target)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("confkeys: %s is not a struct", t)
	}
	var unknown []string
	checkStruct(t, raw, "", &unknown)
	if len(unknown) == 0 {
		return nil
	}
	return &UnknownKeysError{Paths: unknown}
}

// UnknownKeysError lists the unknown keys of a configuration.
type UnknownKeysError struct {
	Paths []string
}

func (e *UnknownKeysError) Error() string {
	quoted := make([]string, len(e.Paths))
	for i, p := range e.Paths {
		quoted[i] = strconv.Quote(p)
	}
	if len(quoted) == 1 {
		return "unknown key " + quoted[0]
	}
	return "unknown keys " + strings.Join(quoted, ", ")
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	confUnmarshaler = reflect.TypeFor[confmap.Unmarshaler]()
)

const optionalPkg = "go.opentelemetry.io/collector/config/configoptional"

func check(t reflect.Type, v any, path string, unknown *[]string) {
	if v == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.PkgPath() == optionalPkg && strings.HasPrefix(t.Name(), "Optional[") {
		if f, ok := t.FieldByName("value"); ok {
			check(f.Type, v, path, unknown)
			return
		}
	}
	if ownKeys(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if ok { // else a type mismatch: the decoder reports it
			checkStruct(t, m, path, unknown)
		}
	case reflect.Slice, reflect.Array:
		s, _ := v.([]any)
		for i, e := range s {
			check(t.Elem(), e, join(path, strconv.Itoa(i)), unknown)
		}
	}
}

func checkStruct(t reflect.Type, m map[string]any, path string, unknown *[]string) {
	fields, remain := fieldsOf(t)
	if remain {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ft, ok := fields[k]
		if !ok {
			*unknown = append(*unknown, join(path, k))
			continue
		}
		check(ft, m[k], join(path, k), unknown)
	}
}

// ownKeys: the type decodes itself, so its keys are its own business.
func ownKeys(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(textUnmarshaler) || p.Implements(textUnmarshaler) ||
		t.Implements(confUnmarshaler) || p.Implements(confUnmarshaler)
}

// fieldsOf maps every key a struct takes to its field type, squashed structs flattened (a
// squashed confmap.Unmarshaler included: that is the case confmap leaves unchecked). remain:
// a ",remain" field takes every other key.
func fieldsOf(t reflect.Type) (fields map[string]reflect.Type, remain bool) {
	fields = map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if name == "-" {
			continue
		}
		optList := strings.Split(opts, ",")
		if slices.Contains(optList, "remain") {
			return nil, true
		}
		if slices.Contains(optList, "squash") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				sub, r := fieldsOf(ft)
				if r {
					return nil, true
				}
				for k, v := range sub {
					fields[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields, false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + confmap.KeyDelimiter + key
}
