package perfpgexporter

import (
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/exporter/exporterhelper"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// Config of the perfpg exporter.
type Config struct {
	// DSN of the PostgreSQL database; created when missing. Defaults to $PERF_PG_DSN, else
	// postgres://postgres@127.0.0.1:5432/perf?sslmode=disable.
	DSN string `mapstructure:"dsn"`

	Tenant    TenantConfig    `mapstructure:"tenant"`
	Retention RetentionConfig `mapstructure:"retention"`
	Endpoints EndpointsConfig `mapstructure:"endpoints"`

	// MaxFutureSkew: spans and points stamped further than this ahead of the collector's
	// clock are counted and dropped (reason "future").
	MaxFutureSkew time.Duration `mapstructure:"max_future_skew"`

	// FingerprintAttribute is the span attribute the queryhash processor writes a
	// statement's fingerprint to: set it to the processor's fingerprint_attribute (both
	// default to db.query.fingerprint). The exporter stores every statement under the
	// fingerprint of its own normalization; a span whose attribute differs is counted
	// (otelcol_perfpg_fingerprints_replaced).
	FingerprintAttribute string `mapstructure:"fingerprint_attribute"`

	TimeoutConfig exporterhelper.TimeoutConfig                             `mapstructure:",squash"`
	QueueConfig   configoptional.Optional[exporterhelper.QueueBatchConfig] `mapstructure:"sending_queue"`
	BackOffConfig configretry.BackOffConfig                                `mapstructure:"retry_on_failure"`
}

// TenantConfig says where a row's tenant comes from, in this order of precedence: the
// receiver's authenticator (client.Info.Auth; an authenticated client whose credentials
// name no tenant gets Default), the client metadata key (the receiver needs
// include_metadata: true, or perfgraphql as its authenticator, which writes the key; a
// batch processor in between needs it in metadata_keys), the resource attribute, Default.
type TenantConfig struct {
	MetadataKey       string `mapstructure:"metadata_key"`
	ResourceAttribute string `mapstructure:"resource_attribute"`
	Default           string `mapstructure:"default"`
	// MaxTenants bounds the tenants that clients may create by naming them (metadata key
	// or resource attribute without credentials): a new tenant is created while fewer
	// tenants exist, past it its rows are stored under Default and counted
	// (otelcol_perfpg_rows_redirected, reason "max_tenants"). Tenants named by
	// credentials are always created.
	MaxTenants int `mapstructure:"max_tenants"`
}

// RetentionConfig says how long rows are kept. Rows older than that on arrival are counted
// and dropped (reason "expired"); the perfgraphql scheduler drops expired partitions.
type RetentionConfig struct {
	Logs      time.Duration `mapstructure:"logs"`
	Resources time.Duration `mapstructure:"resources"`
}

// EndpointsConfig bounds the cardinality of endpoints.
type EndpointsConfig struct {
	// MaxPerService distinct endpoints per service; later new ones fold into "{other}".
	MaxPerService int `mapstructure:"max_per_service"`
}

const maxTenantNameLength = 128

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if err := perfdb.ValidateDSN(cfg.DSN); err != nil {
		errs = append(errs, err)
	}
	if cfg.Tenant.Default == "" {
		errs = append(errs, errors.New("tenant.default must not be empty"))
	} else if len(cfg.Tenant.Default) > maxTenantNameLength {
		errs = append(errs, fmt.Errorf("tenant.default is longer than %d bytes", maxTenantNameLength))
	}
	if cfg.Tenant.MaxTenants < 1 {
		errs = append(errs, fmt.Errorf("tenant.max_tenants must be at least 1, got %d", cfg.Tenant.MaxTenants))
	}
	if cfg.Retention.Logs < time.Hour {
		errs = append(errs, fmt.Errorf("retention.logs must be at least 1h, got %s", cfg.Retention.Logs))
	}
	if cfg.Retention.Resources < time.Hour {
		errs = append(errs, fmt.Errorf("retention.resources must be at least 1h, got %s", cfg.Retention.Resources))
	}
	if cfg.Endpoints.MaxPerService < 1 {
		errs = append(errs, fmt.Errorf("endpoints.max_per_service must be at least 1, got %d", cfg.Endpoints.MaxPerService))
	}
	if cfg.MaxFutureSkew < 0 {
		errs = append(errs, fmt.Errorf("max_future_skew must not be negative, got %s", cfg.MaxFutureSkew))
	}
	if cfg.FingerprintAttribute == "" {
		errs = append(errs, errors.New("fingerprint_attribute must not be empty"))
	}
	return errors.Join(errs...)
}
