package validate

import "github.com/kzgen/kzgen/runtime/kzrt"

// Blacklist is Kazoo's client blacklist, which its URL check applies to
// pivot voice_url, record_call url, webhook uri and the like. It is
// kzrt.Blacklist: the generated code checks URLs with the same rule, and
// a site's extended blacklist works for both.
type Blacklist = kzrt.Blacklist

// DefaultBlacklist returns Kazoo's default client blacklist: the host
// "localhost" and the networks 127.0.0.1/32 and 0.0.0.0/32.
func DefaultBlacklist() *Blacklist { return kzrt.DefaultBlacklist() }
