package crossbar_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

func TestNormalizeNumber(t *testing.T) {
	for in, want := range map[string]string{
		"4155550100":      "+14155550100", // NANP, 10 digits
		"14155550100":     "+14155550100", // NANP, 11 digits
		"+14155550100":    "+14155550100", // already E.164
		"011442071234567": "+442071234567",
		"00442071234567":  "+442071234567",
		"442071234567":    "+442071234567", // 8+ digits starting 2-9
		"+442071234567":   "+442071234567",
		"1001":            "1001", // extensions stay
		"*97":             "*97",
		"0800123":         "0800123",
		"1415555":         "1415555",
	} {
		if got := crossbar.NormalizeNumber(in); got != want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLBlacklist(t *testing.T) {
	bl := kzrt.DefaultBlacklist()
	for u, ok := range map[string]bool{
		"https://pivot.example.com/start": true,
		"http://203.0.113.7:8080/":        true,
		"http://10.0.0.5/":                true, // private, but not on Kazoo's default list
		"http://localhost:8080/":          false,
		"http://LOCALHOST/":               false,
		"http://127.0.0.1:8080/":          false,
		"http://0.0.0.0/":                 false,
		"http://[::ffff:127.0.0.1]/":      true, // unverified: judged as written (kzrt.Blacklist)
		"ftp://pivot.example.com/":        false,
		"pivot.example.com/start":         false,
		"https:///path":                   true, // unverified: no host is on no list
	} {
		err := bl.CheckURL(u)
		if (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want accepted %v", u, err, ok)
		}
		if err != nil && !errors.Is(err, crossbar.ErrInvalidClientURL) {
			t.Errorf("Check(%q) = %v, not ErrInvalidClientURL", u, err)
		}
	}
	strict, err := kzrt.NewBlacklist("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	if strict.CheckURL("http://10.1.2.3/") == nil || strict.CheckURL("http://localhost/") != nil {
		t.Error("a custom blacklist is not applied as configured")
	}
	for u, private := range map[string]bool{
		"http://10.0.0.5/": true, "http://192.168.1.2:8080/": true, "http://172.16.0.1/": true,
		"http://127.0.0.1/": true, "http://localhost/": true, "http://[fd00::1]/": true, "http://169.254.1.1/": true,
		"https://pivot.example.com/": false, "http://203.0.113.7/": false,
	} {
		if got := crossbar.IsPrivateURL(u); got != private {
			t.Errorf("IsPrivateURL(%q) = %v, want %v", u, got, private)
		}
	}
}

func TestFlowURLs(t *testing.T) {
	var flow any
	json.Unmarshal([]byte(`{"module":"tts","data":{"text":"hi"},"children":{
		"_":{"module":"pivot","data":{"voice_url":"https://a.example/"},"children":{
			"x/y":{"module":"webhook","data":{"uri":"https://b.example/"}}}},
		"1":{"module":"record_call","data":{"url":"https://c.example/"}},
		"2":{"module":"pivot","data":{"voice_url":5}}}}`), &flow)
	got := crossbar.FlowURLs(flow, "/flow")
	want := []crossbar.FlowURL{
		{Pointer: "/flow/children/1/data/url", Module: "record_call", URL: "https://c.example/"},
		{Pointer: "/flow/children/_/data/voice_url", Module: "pivot", URL: "https://a.example/"},
		{Pointer: "/flow/children/_/children/x~1y/data/uri", Module: "webhook", URL: "https://b.example/"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("FlowURLs = %+v\nwant %+v", got, want)
	}
}

func TestPointerFromKeyPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"numbers":                        "/numbers",
		"numbers.0":                      "/numbers/0",
		"flow.children._.data.voice_url": "/flow/children/_/data/voice_url",
		"custom%2Ekey.a/b":               "/custom.key/a~1b",
	} {
		if got := crossbar.PointerFromKeyPath(in); got != want {
			t.Errorf("PointerFromKeyPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	var ts struct{ A, B crossbar.Timestamp }
	if err := json.Unmarshal([]byte(`{"A":63900000000,"B":"63900000000"}`), &ts); err != nil {
		t.Fatal(err)
	}
	want := time.Unix(63900000000-crossbar.GregorianOffset, 0).UTC()
	if !ts.A.Equal(want) || !ts.B.Equal(want) {
		t.Errorf("decoded %v %v, want %v", ts.A, ts.B, want)
	}
	out, _ := json.Marshal(ts.A)
	if string(out) != "63900000000" {
		t.Errorf("encoded %s", out)
	}
}
