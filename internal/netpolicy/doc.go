// Package netpolicy decides which URLs and network addresses Safeguard may
// fetch from, and builds HTTP clients that hold to it. A page from an
// upstream index, a JSON document from PyPI or a notification target can
// name any URL; a client from this package fetches only over http and
// https, only from the hosts its policy lists, and never connects to a
// loopback, link-local (cloud metadata), private, unique-local, multicast
// or otherwise non-global address unless the operator allowed that host or
// range. The address is checked when it is dialled, after name resolution,
// so a name that resolves to an internal address (DNS rebinding) is refused
// too; every redirect is checked again.
//
// Two policies are provided: DefaultFileFetch, for distribution files and
// index pages, and DefaultNotify, for notification targets (webhooks), which
// may be on private networks but never on link-local addresses.
//
// It is not a firewall: it guards the clients built here, not the process,
// and it does not decide what a fetched file may contain.
package netpolicy
