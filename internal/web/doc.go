// Package web is the dashboard of `safeguard serve`: server-rendered
// pages (html/template, with their stylesheet embedded in the binary; no
// script, no CDN, works offline) that show what the monitor watched,
// scanned, blocked and alerted, with the evidence: the overview, the feed
// of verdicts, a package's files and their findings, watched projects,
// alerts and their deliveries, the proxy's decisions and the rule
// registry. It also answers the JSON API for the same views (mounted
// under /api/v1/ by package server, behind its bearer tokens).
//
// Everything a page prints may come from an attacker (package names,
// file paths, code), so all of it goes through html/template's escaping,
// and every response carries a Content-Security-Policy that forbids
// inline script and foreign origins. Pages need a session opened with an
// API token (or --public-read); forms carry a per-session CSRF token and
// changes need an admin token's session.
//
// It reads the store; it does not scan, follow or send (package monitor
// does).
package web
