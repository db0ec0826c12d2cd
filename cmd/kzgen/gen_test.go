package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenEmbeddedSchemas(t *testing.T) {
	out := filepath.Join(t.TempDir(), "kzcallflow")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 89 {
		t.Errorf("%d files, want one per embedded schema (88) and modules.kz.go", len(entries))
	}
	data, err := os.ReadFile(filepath.Join(out, "callflows_tts.kz.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("package kzcallflow")) {
		t.Error("package name should default to the output directory's name")
	}
}

func TestGenBadSchemaExitsNonZeroAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"type":"object","properties":{"x":{"$ref":"b"}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"type":"object",`), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"gen", "-schemas", dir, "-match", "*", "-out", out, "-pkg", "p"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "b.json: line 1, column 18: invalid JSON") {
		t.Errorf("stderr %q should name the file and position", stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory was created: %v", err)
	}
}

func TestGenUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen"}, &stdout, &stderr); code != 2 {
		t.Errorf("no -out: exit %d, want 2", code)
	}
	stderr.Reset()
	if code := run([]string{"gen", "-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-match") {
		t.Errorf("-h: exit %d, %q", code, stderr.String())
	}
	if code := run([]string{"gen", "-out", t.TempDir(), "-match", "["}, &stdout, &stderr); code != 1 {
		t.Errorf("bad -match: exit %d, want 1", code)
	}
	stdout.Reset()
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "kzgen ") {
		t.Errorf("version: %d %q", code, stdout.String())
	}
}
