package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func TestPlayMP3(t *testing.T) {
	const media = "https://media.example.com/hello%20world.mp3"
	h, err := newHandler(media, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []pivottest.Call{
		{CallID: "c1", From: "1001"},
		{CallID: "c1", From: "1001", Method: "post", Body: pivot.BodyJSON},
	} {
		_, node := exampletest.Send(t, h, c)
		play, ok := node.Data.(*callflow.PlayData)
		if !ok || play.GetID() != media {
			t.Errorf("root %s, want play of %s", node.Module, media)
		}
		if got := exampletest.Path(node); len(got) != 2 || got[1] != "hangup" {
			t.Errorf("path %v", got)
		}
	}
}

func TestPlayMP3RejectsBadURL(t *testing.T) {
	for _, bad := range []string{"", "welcome.mp3", "ftp://media.example.com/a.mp3", "https://"} {
		if _, err := newHandler(bad, slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
