package perfgraphqlext

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
)

// Config of the perfgraphql extension.
type Config struct {
	// DSN of the PostgreSQL database the perfpg exporter writes. Defaults to $PERF_PG_DSN,
	// else postgres://postgres@127.0.0.1:5432/perf?sslmode=disable.
	DSN string `mapstructure:"dsn"`

	// ServerConfig is the HTTP server of /graphql and the dashboard (endpoint, tls, cors, auth).
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`

	Tenants TenantsConfig `mapstructure:"tenants"`
}

// TenantsConfig maps credentials to tenants. A query's tenant comes from its credentials
// only, never from a query argument.
type TenantsConfig struct {
	// Tokens: "Authorization: Bearer <token>" -> tenant.
	Tokens []TokenConfig `mapstructure:"tokens"`
	// AnonymousTenant serves requests without credentials. Empty: they get 401.
	AnonymousTenant string `mapstructure:"anonymous_tenant"`
}

// TokenConfig maps one bearer token to a tenant.
type TokenConfig struct {
	Token  configopaque.String `mapstructure:"token"`
	Tenant string              `mapstructure:"tenant"`
}

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.DSN == "" {
		errs = append(errs, errors.New("dsn must not be empty"))
	} else if _, err := pgx.ParseConfig(cfg.DSN); err != nil {
		errs = append(errs, fmt.Errorf("dsn is not a valid PostgreSQL connection string: %w", err))
	}
	if cfg.ServerConfig.NetAddr.Endpoint == "" {
		errs = append(errs, errors.New("endpoint must not be empty"))
	}
	seen := make(map[configopaque.String]bool, len(cfg.Tenants.Tokens))
	for i, t := range cfg.Tenants.Tokens {
		switch {
		case t.Token == "":
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: token must not be empty", i))
		case seen[t.Token]:
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: the same token is listed twice", i))
		}
		seen[t.Token] = true
		if t.Tenant == "" {
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: tenant must not be empty", i))
		}
	}
	return errors.Join(errs...)
}
