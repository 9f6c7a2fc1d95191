package queryhashprocessor

import (
	"errors"
	"fmt"
)

// Config of the queryhash processor.
type Config struct {
	// KeepRawStatement leaves the original statement attribute in place. By default it is
	// replaced with the sanitized text, so literals (customer data) never leave the processor.
	KeepRawStatement bool `mapstructure:"keep_raw_statement"`

	// MaxStatementLength in bytes; longer statements are truncated at a token boundary
	// before normalization (and still fingerprinted).
	MaxStatementLength int `mapstructure:"max_statement_length"`

	// FingerprintAttribute is the span attribute the 16-hex-digit fingerprint is written to;
	// the perfpg exporter's fingerprint_attribute must name the same one.
	FingerprintAttribute string `mapstructure:"fingerprint_attribute"`
}

const (
	minStatementLength = 64
	maxStatementLength = 1 << 20
)

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.MaxStatementLength < minStatementLength || cfg.MaxStatementLength > maxStatementLength {
		errs = append(errs, fmt.Errorf("max_statement_length must be between %d and %d bytes, got %d",
			minStatementLength, maxStatementLength, cfg.MaxStatementLength))
	}
	if cfg.FingerprintAttribute == "" {
		errs = append(errs, errors.New("fingerprint_attribute must not be empty"))
	}
	return errors.Join(errs...)
}
