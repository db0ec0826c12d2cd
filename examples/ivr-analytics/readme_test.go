package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/tempmod"
)

// TestReadme runs the commands of README.md's section "See what callers
// do" that use this example, in order, with a kzgen built from this
// repository, against this example's server started as the README starts
// it (default flags, no HOOK_SECRET), and checks that each prints every
// line the README shows. The section's kzgen hooks commands are run by
// cmd/kzgen's tests, against the fake Crossbar.
func TestReadme(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kzgen")
	}
	steps := readmeSteps(t, "See what callers do")
	kzgen := tempmod.Executable(t, filepath.Join("..", ".."), "./cmd/kzgen")
	base := "" // the server's URL, once the README starts it
	ran := 0
	for _, step := range steps {
		var printed string
		switch cmd := step.command; {
		case strings.HasPrefix(cmd, "go run ./examples/ivr-analytics "):
			s := exampletest.Serve(t, func(publicURL string) (http.Handler, error) {
				cfg := config{PublicURL: publicURL, Key: testConfig(publicURL).Key, Users: map[string]string{},
					CallTimeout: defaultCallTimeout, MaxCalls: defaultMaxCalls}
				for i, d := range destinations {
					cfg.Users[d] = defaultUser(i)
				}
				return newHandler(cfg, slog.New(slog.DiscardHandler))
			})
			base = s.URL
			continue
		case strings.HasPrefix(cmd, "go run ./cmd/kzgen hooks "):
			continue
		case strings.HasPrefix(cmd, "go run ./cmd/kzgen "):
			if base == "" {
				t.Fatalf("README: %q before the server is started", cmd)
			}
			args := shellWords(t, strings.ReplaceAll(strings.TrimPrefix(cmd, "go run ./cmd/kzgen "), "http://127.0.0.1:8080", base))
			var out bytes.Buffer
			c := exec.Command(kzgen, args...)
			c.Stdout, c.Stderr = &out, &out
			if err := c.Run(); err != nil {
				t.Errorf("$ %s\n%v\n%s", cmd, err, out.String())
			}
			printed = out.String()
		case strings.HasPrefix(cmd, "curl -s "):
			url, filter, ok := strings.Cut(strings.TrimPrefix(cmd, "curl -s "), " | grep -E ")
			if !ok {
				t.Fatalf("README: %q: only curl -s URL | grep -E 'RE' is supported", cmd)
			}
			words := shellWords(t, filter)
			re := regexp.MustCompile(words[0])
			resp, err := http.Get(strings.ReplaceAll(url, "http://127.0.0.1:8080", base))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var kept []string
			for line := range strings.SplitSeq(string(body), "\n") {
				if re.MatchString(line) {
					kept = append(kept, line)
				}
			}
			if !slices.Equal(kept, step.output) {
				t.Errorf("$ %s\nprints\n%s\nthe README shows\n%s", cmd, strings.Join(kept, "\n"), strings.Join(step.output, "\n"))
			}
			ran++
			continue
		default:
			t.Fatalf("README: command %q is not covered by this test", cmd)
		}
		ran++
		lines := strings.Split(printed, "\n")
		for _, want := range step.output {
			if !slices.Contains(lines, want) {
				t.Errorf("$ %s\ndoes not print the README's line\n%s\nit printed:\n%s", step.command, want, printed)
			}
		}
	}
	if base == "" || ran != 3 {
		t.Errorf("ran %d of the README's commands against the example, want 3", ran)
	}
}

// readmeStep is a command of a README code block and the lines it shows.
type readmeStep struct {
	command string
	output  []string
}

// readmeSteps returns the commands ("$ …" lines) of the README section
// with the given heading, with the lines each shows.
func readmeSteps(t *testing.T, heading string) []readmeStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var steps []readmeStep
	inCode := false
	for line := range strings.SplitSeq(section, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inCode = !inCode
		case !inCode:
		case strings.HasPrefix(line, "$ "):
			steps = append(steps, readmeStep{command: strings.TrimSuffix(strings.TrimPrefix(line, "$ "), " &")})
		case len(steps) > 0 && line != "":
			steps[len(steps)-1].output = append(steps[len(steps)-1].output, line)
		}
	}
	return steps
}

// shellWords splits a command line into words as a POSIX shell would,
// for the quoting the README uses: blanks, and single quotes.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			word.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case strings.ContainsRune(`"\$*?[]|&;<>()`+"`", r):
			t.Fatalf("README command %q: %q needs quoting this test does not support", s, r)
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("README command %q: unterminated quote", s)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}
