package generator

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestBuildIdentity: the stamp names this executable by its Go build ID,
// the same one `go tool buildid` reads.
func TestBuildIdentity(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	want := strings.TrimSpace(string(out))
	if got := goBuildID(exe); got != want {
		t.Errorf("goBuildID = %q, go tool buildid says %q", got, want)
	}
	id := BuildIdentity()
	if !strings.HasPrefix(id, runtime.Version()+" ") || !strings.HasSuffix(id, " buildid "+want) {
		t.Errorf("BuildIdentity() = %q", id)
	}
	if goBuildID(os.DevNull) != "" {
		t.Error("a build ID read from an empty file")
	}
}
