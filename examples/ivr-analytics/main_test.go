package main

import (
	"log/slog"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// TestAnswers walks the menus with the fake Kazoo: every answer is one
// Kazoo runs and its schemas accept, starts with the tags, and leads where
// the keys say.
func TestAnswers(t *testing.T) {
	const base = "https://ivr.example.com"
	h, err := newHandler(testConfig(base), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	menuPath := []string{"set_variables", "tts", "collect_dtmf", "pivot"}
	transferPath := []string{"set_variables", "tts", "user", "tts", "hangup"}
	for _, tc := range []struct {
		name         string
		keys         []string
		step, choice string
		path         []string
		user         string
	}{
		{"entry", nil, "main", "", menuPath, ""},
		{"sales", []string{"1"}, "sales", "sales", transferPath, "user-sales"},
		{"support menu", []string{"2"}, "support", "support", menuPath, ""},
		{"billing", []string{"2", "1"}, "billing", "billing", transferPath, "user-billing"},
		{"technical", []string{"2", "2"}, "technical", "technical", transferPath, "user-technical"},
		{"invalid key repeats the menu", []string{"9"}, "main", "invalid", menuPath, ""},
		{"silence repeats the menu", []string{""}, "main", "none", menuPath, ""},
		{"third miss goes to the operator", []string{"9", "", "9"}, "operator", "invalid", transferPath, "user-operator"},
		{"a miss then a choice", []string{"2", "", "1"}, "billing", "billing", transferPath, "user-billing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := pivottest.Call{VoiceURL: base + "/ivr/main", CallID: "c-" + tc.name, AccountID: "0123456789abcdef0123456789abcdef"}
			res, n := exampletest.Send(t, h, c)
			for _, k := range tc.keys {
				if c, err = c.Next(res, k); err != nil {
					t.Fatal(err)
				}
				res, n = exampletest.Send(t, h, c)
			}
			step, choice, ok := tagsOf(n)
			if !ok || step != tc.step || choice != tc.choice {
				t.Errorf("tags %q %q %v, want %q %q", step, choice, ok, tc.step, tc.choice)
			}
			if p := exampletest.Path(n); !slices.Equal(p, tc.path) {
				t.Errorf("path %v, want %v", p, tc.path)
			}
			if tc.user != "" {
				user := n.Next("_").Next("_").Data.(*callflow.UserData)
				if user.ID == nil || *user.ID != tc.user {
					t.Errorf("rings %v, want %s", user.ID, tc.user)
				}
			}
			if d := n.Data.(*callflow.SetVariablesData); d.Export != nil && *d.Export {
				t.Error("the tags are exported to the transfer's other leg")
			}
		})
	}
}

func TestNewHandlerRefusesBadConfig(t *testing.T) {
	cfg := testConfig("https://ivr.example.com")
	cfg.MaxCalls = 0
	if _, err := newHandler(cfg, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a call limit of 0 was accepted")
	}
	cfg = testConfig("https://ivr.example.com")
	delete(cfg.Users, "operator")
	if _, err := newHandler(cfg, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a missing operator was accepted")
	}
}
