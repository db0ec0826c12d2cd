package pivot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// handlerKnownFailures are the Pivot cases whose flow the Handler judges
// differently from Kazoo: none, now that the generated Parse reads JSON as
// Kazoo does (big integers, duplicate keys). A case that starts failing
// must be fixed, not listed.
var handlerKnownFailures = map[string]string{}

// fallbackMarker is the fallback the handlers under test answer, told
// apart from every case's flow.
var fallbackMarker = callflow.TTS("fallback marker").Node()

// TestHandlerConformance: for every Pivot answer of the conformance suite,
// a Handler whose function returns that flow (read with the generated
// ParseAnswer) sends it when Kazoo accepts it, and the fallback when Kazoo
// refuses it, with the case's client URL blacklist when it has one.
func TestHandlerConformance(t *testing.T) {
	fallback, err := json.Marshal(fallbackMarker)
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
		opts := []pivot.Option{pivot.WithLogger(slog.New(slog.DiscardHandler)), pivot.WithFallback(fallbackMarker)}
		if len(c.URLBlacklist) > 0 {
			b, err := kzrt.DefaultBlacklist().With(c.URLBlacklist...)
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, pivot.WithURLBlacklist(b))
		}
		var flow []byte
		h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
			node, err := callflow.ParseAnswer([]byte(c.Input))
			if err != nil {
				return nil, err
			}
			flow, err = json.Marshal(node)
			return node, err
		}, opts...)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?Call-ID=c1&Account-ID=a1", nil))
		body, _ := io.ReadAll(rec.Body)
		switch {
		case rec.Code != http.StatusOK:
			t.Fatalf("status %d", rec.Code)
		case string(body) == string(fallback):
			return conformance.Verdict{Valid: false}
		case flow != nil && string(body) == string(flow):
			return conformance.Verdict{Valid: true}
		}
		t.Fatalf("the handler sent neither the flow nor the fallback: %s", body)
		return conformance.Verdict{}
	},
		conformance.VerdictOnly(), // the Handler logs problems; it answers with the flow or the fallback
		conformance.Skip(func(c conformance.Case) string {
			if c.Mode != conformance.ModePivot {
				return "a stored callflow document, not a Pivot answer"
			}
			return ""
		}),
		conformance.KnownFailures(handlerKnownFailures))
}
