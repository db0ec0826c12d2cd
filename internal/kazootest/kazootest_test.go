package kazootest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFindHonoursEnvVar: $KAZOO_SCHEMAS wins over the default place, and a
// directory that is not there is reported as not found.
func TestFindHonoursEnvVar(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvVar, dir)
	if got, ok := Find(); !ok || got != dir {
		t.Errorf("Find() = %q, %v; want %q, true", got, ok, dir)
	}
	missing := filepath.Join(dir, "missing")
	t.Setenv(EnvVar, missing)
	if got, ok := Find(); ok || got != missing {
		t.Errorf("Find() = %q, %v; want %q, false", got, ok, missing)
	}
}

// TestSchemaDir: the directory SchemaDir finds is Kazoo's schema set, with
// the callflow node schema every other test starts from. Without the set,
// the test skips with SkipReason, which the test command's summary counts.
func TestSchemaDir(t *testing.T) {
	dir := SchemaDir(t)
	if _, err := os.Stat(filepath.Join(dir, "callflows.action.json")); err != nil {
		t.Errorf("%s holds no callflow node schema: %v", dir, err)
	}
}
