package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func TestBridgeCarrier(t *testing.T) {
	for _, tc := range []struct {
		carriers string
		local    bool
	}{
		{"local", true},
		{"global", false},
	} {
		t.Run(tc.carriers, func(t *testing.T) {
			h, err := newHandler("+15555550100", tc.carriers, 45, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			c := pivottest.Call{CallID: "c1", From: "1001", To: "5000", Method: "post", Body: pivot.BodyForm}
			_, node := exampletest.Send(t, h, c)
			res, ok := node.Data.(*callflow.ResourcesData)
			if !ok {
				t.Fatalf("root %s, want resources", node.Module)
			}
			if res.GetToDID() != "+15555550100" || res.GetUseLocalResources() != tc.local || res.GetTimeout() != 45 {
				t.Errorf("resources data %s", must(res.MarshalJSON()))
			}
			for _, cause := range []string{"USER_BUSY", "NO_ANSWER"} {
				if got := exampletest.Path(node.Children[cause]); len(got) != 2 || got[0] != "tts" {
					t.Errorf("%s branch: %v", cause, got)
				}
			}
		})
	}
}

func TestBridgeCarrierRejectsBadFlags(t *testing.T) {
	discard := slog.New(slog.DiscardHandler)
	if _, err := newHandler("call me", "local", 30, discard); err == nil {
		t.Error("bad number accepted")
	}
	if _, err := newHandler("+15555550100", "both", 30, discard); err == nil {
		t.Error("bad -carriers accepted")
	}
}

func must(b []byte, err error) string {
	if err != nil {
		panic(err)
	}
	return string(b)
}
