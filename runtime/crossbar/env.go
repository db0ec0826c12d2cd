package crossbar

import "os"

// The environment variables ConfigFromEnv reads.
const (
	// EnvURL is Crossbar's base URL, such as https://kazoo.example.com:8443.
	EnvURL = "KAZOO_URL"
	// EnvAccountID is the account to work on (optional with an API key).
	EnvAccountID = "KAZOO_ACCOUNT_ID"
	// EnvAPIKey is the account's API key.
	EnvAPIKey = "KAZOO_API_KEY"
	// EnvUsername, EnvPassword and EnvAccountName are a user's credentials,
	// used when no API key is set.
	EnvUsername    = "KAZOO_USERNAME"
	EnvPassword    = "KAZOO_PASSWORD"
	EnvAccountName = "KAZOO_ACCOUNT_NAME"
)

// ConfigFromEnv returns the Config the KAZOO_* variables describe: the base
// URL, the account ID, and as Credentials the API key when KAZOO_API_KEY is
// set, else the user's credentials when KAZOO_USERNAME is set, else none.
// New reports what is missing.
func ConfigFromEnv() Config {
	cfg := Config{
		BaseURL:   os.Getenv(EnvURL),
		AccountID: os.Getenv(EnvAccountID),
	}
	switch {
	case os.Getenv(EnvAPIKey) != "":
		cfg.Credentials = APIKey(os.Getenv(EnvAPIKey))
	case os.Getenv(EnvUsername) != "":
		cfg.Credentials = UserCredentials{
			Username:    os.Getenv(EnvUsername),
			Password:    os.Getenv(EnvPassword),
			AccountName: os.Getenv(EnvAccountName),
		}
	}
	return cfg
}
