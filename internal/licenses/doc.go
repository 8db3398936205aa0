// Package licenses reads what a distribution's core metadata says about
// its licence and turns it into SPDX terms: the PEP 639
// License-Expression when it is a valid SPDX expression, licence trove
// classifiers mapped to SPDX identifiers where the mapping is unambiguous,
// and otherwise the free-text License field as a named licence.
package licenses
