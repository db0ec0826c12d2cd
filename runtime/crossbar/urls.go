package crossbar

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// ErrInvalidClientURL is the reason Crossbar gives for a URL it refuses to
// let Kazoo request ("invalid client URL", code "error", §1.5). The check
// itself is kzrt.Blacklist's CheckURL, whose errors wrap this error; the
// default blacklist is kzrt.DefaultBlacklist().
var ErrInvalidClientURL = kzrt.ErrInvalidClientURL

// IsPrivateURL reports whether rawURL's host is "localhost" or an address
// Kazoo's servers usually cannot reach or refuse: loopback, private
// (RFC 1918, fc00::/7), link-local or unspecified. Kazoo's pivot guide tells
// operators to add the private ranges to the blacklist, so such a URL is
// refused by many clusters, and reached by few.
func IsPrivateURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	return addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsUnspecified()
}

// clientURLFields are the callflow data fields whose schema asks for
// Kazoo's URL check ("kazoo-validation" on a URL), by module.
var clientURLFields = map[string]string{
	"pivot":         "voice_url",
	"record_call":   "url",
	"record_caller": "url",
	"webhook":       "uri",
}

// FlowURL is a URL a callflow node hands to Kazoo's HTTP client.
type FlowURL struct {
	// Pointer is the JSON pointer of the URL ("/flow/data/voice_url").
	Pointer string
	// Module is the node's module ("pivot").
	Module string
	// URL is the value.
	URL string
}

// FlowURLs returns every URL Crossbar checks with its client-URL rule in a
// callflow tree (a pivot's voice_url, a webhook's uri, a recording's url),
// at every depth, in document order (children by sorted key). flow is the
// decoded JSON of one node, as encoding/json decodes into an any; pointer
// is the node's own pointer ("/flow" in a callflow document, "" for a bare
// node). Values that are not strings are left to the schema check.
func FlowURLs(flow any, pointer string) []FlowURL {
	var urls []FlowURL
	WalkFlow(flow, pointer, func(ptr string, node map[string]any) {
		module, _ := node["module"].(string)
		field, ok := clientURLFields[module]
		if !ok {
			return
		}
		data, _ := node["data"].(map[string]any)
		if u, ok := data[field].(string); ok {
			urls = append(urls, FlowURL{Pointer: ptr + "/data/" + field, Module: module, URL: u})
		}
	})
	return urls
}

// WalkFlow calls visit with the JSON pointer and object of node and of
// every node below it (through "children"), parents first, children by
// sorted key. node is decoded JSON, as encoding/json decodes into an any;
// ptr is its own pointer. Values that are not objects are skipped.
func WalkFlow(node any, ptr string, visit func(ptr string, node map[string]any)) {
	obj, ok := node.(map[string]any)
	if !ok {
		return
	}
	visit(ptr, obj)
	children, _ := obj["children"].(map[string]any)
	keys := make([]string, 0, len(children))
	for k := range children {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		WalkFlow(children[k], ptr+"/children/"+kzrt.EscapeToken(k), visit)
	}
}
