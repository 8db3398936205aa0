package analyze

import (
	"strconv"
	"strings"
)

// shortName drops the "builtins." prefix for messages.
func shortName(n string) string { return strings.TrimPrefix(n, "builtins.") }

// itoa writes line numbers into messages.
func itoa(i int) string { return strconv.Itoa(i) }
