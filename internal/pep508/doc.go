// Package pep508 parses dependency specifications as PEP 508 defines them
// (name, extras, version specifiers or a URL, environment markers),
// matches versions against specifiers with PEP 440's rules, and evaluates
// markers for an environment.
//
// It follows the behaviour of Python's `packaging` library, which pip uses;
// testdata/golden.json records that library's answers and the tests compare
// against it. It does not read requirement files (-r, --hash...): that is
// the dependency inventory's job.
package pep508
