package kzrt

import (
	"net/netip"
	"strings"
	"testing"
)

func TestSplitURL(t *testing.T) {
	for raw, want := range map[string][2]string{
		"https://ivr.example.com/x":         {"https", "ivr.example.com"},
		"HTTP://User:Pw@LocalHost:8080/a?b": {"http", "localhost"},
		"http://[::1]:80/":                  {"http", "::1"},
		"http://a@b@c.example/":             {"http", "c.example"},
		"http:///path":                      {"http", ""},
		"example.com/path":                  {"", ""},
		"ftp://files.example/":              {"ftp", "files.example"},
		"mailto:a@b":                        {"mailto", ""},
		"//host.example/x":                  {"", "host.example"},
		"1http://x/":                        {"", ""},
		"":                                  {"", ""},
	} {
		scheme, host := splitURL(raw)
		if scheme != want[0] || host != want[1] {
			t.Errorf("splitURL(%q) = %q, %q; want %q, %q", raw, scheme, host, want[0], want[1])
		}
	}
}

func TestBlacklist(t *testing.T) {
	b, err := DefaultBlacklist().With("10.0.0.0/8", "192.168.1.5", "PBX.Internal", "fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "localhost, pbx.internal, 127.0.0.1/32, 0.0.0.0/32, 10.0.0.0/8, 192.168.1.5/32, fd00::/8" {
		t.Errorf("String: %s", got)
	}
	for raw, why := range map[string]string{
		"http://localhost/":         "localhost is on the client blacklist",
		"https://127.0.0.1:8443/":   "127.0.0.1/32",
		"http://0.0.0.0/":           "0.0.0.0/32",
		"http://10.200.1.1/":        "10.0.0.0/8",
		"http://192.168.1.5/":       "192.168.1.5/32",
		"http://pbx.internal:80/":   "pbx.internal is on the client blacklist",
		"http://[fd12::1]/":         "fd00::/8",
		"ftp://example.com/":        `scheme "ftp"`,
		"example.com":               "no http or https scheme",
		"https://ivr.example.com/":  "",
		"http://127.0.0.2/":         "",
		"http://192.168.1.6/":       "",
		"http://localhost.example/": "",
		"http://[::1]/":             "",
	} {
		err := b.CheckURL(raw)
		switch {
		case why == "" && err != nil:
			t.Errorf("%s: %v", raw, err)
		case why != "" && (err == nil || !strings.Contains(err.Error(), why) || !strings.HasPrefix(err.Error(), "invalid client URL")):
			t.Errorf("%s: %v, want an invalid client URL because of %s", raw, err, why)
		}
	}
	// The default is not changed by With.
	if err := DefaultBlacklist().CheckURL("http://10.0.0.1/"); err != nil {
		t.Errorf("default: %v", err)
	}
	for _, bad := range []string{"", "10.0.0.0/33", "a host", "user@host", "http://x"} {
		if _, err := DefaultBlacklist().With(bad); err == nil {
			t.Errorf("With(%q): no error", bad)
		}
	}
}

// TestParseAddrAsNetip: parseAddr's shortcut for host names gives
// netip.ParseAddr's verdict and address for every host.
func TestParseAddrAsNetip(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "0.0.0.0", "127.1", "1.2.3.4.5", "01.2.3.4", "::1", "fe80::1%eth0",
		"::ffff:127.0.0.1", "localhost", "ivr.example.com", "a.b", "", ".", "0x7f.0.0.1", "1e3", "١٢٧.0.0.1", "127.0.0.1%x"} {
		got, gotErr := parseAddr(host)
		want, wantErr := netip.ParseAddr(host)
		if (gotErr == nil) != (wantErr == nil) || got != want {
			t.Errorf("parseAddr(%q) = %v, %v; netip.ParseAddr gives %v, %v", host, got, gotErr, want, wantErr)
		}
	}
}
