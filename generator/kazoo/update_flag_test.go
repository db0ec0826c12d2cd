package kazoo_test

// The golden files of the generator are refreshed with
// "go test ./generator/... -update"; this package has none, but its tests
// accept the flag, which internal/golden registers, so that the command
// runs across all of them.
import _ "github.com/kzgen/kzgen/internal/golden"
