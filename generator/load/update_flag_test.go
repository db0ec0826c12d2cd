package load_test

import "flag"

// The golden files of the generator are refreshed with
// "go test ./generator/... -update"; this package has none, but accepts the
// flag so that the command runs across all of them.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
