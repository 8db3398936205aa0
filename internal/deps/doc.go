// Package deps builds a project's dependency inventory: every package it
// asks for, with version, hashes, markers, source and the file and line it
// came from, parsed from requirements files, project metadata, lockfiles
// and SBOMs (CycloneDX, SPDX): one parser per format, all listed in one registry
// (registry.go), from which docs/deps.md is generated.
//
// It reads files; it never runs pip or a project's code, and it never
// guesses a version a file does not pin.
package deps
