package syntax

/*
#include <stdbool.h>
#include <stdint.h>
typedef struct TSLanguage TSLanguage;
extern const TSLanguage *tree_sitter_python(void);
extern uint16_t ts_language_symbol_for_name(const TSLanguage *, const char *, uint32_t, bool);
extern uint16_t ts_language_field_id_for_name(const TSLanguage *, const char *, uint32_t);
*/
import "C"

import (
	"unsafe"

	// The tree-sitter runtime and the Python grammar, linked in for the
	// C code of this package.
	_ "github.com/tree-sitter/go-tree-sitter"
	_ "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// Kind is a grammar symbol of a named node.
type Kind uint16

// Field is a grammar field name id.
type Field uint16

// kind and field look names up in the grammar directly: go-tree-sitter's
// lookups leak a C copy of the name each.
func kind(name string) Kind {
	return Kind(C.ts_language_symbol_for_name(C.tree_sitter_python(), (*C.char)(unsafe.Pointer(unsafe.StringData(name))), C.uint32_t(len(name)), true))
}

func field(name string) Field {
	return Field(C.ts_language_field_id_for_name(C.tree_sitter_python(), (*C.char)(unsafe.Pointer(unsafe.StringData(name))), C.uint32_t(len(name))))
}

// Node kinds the analysis uses. Each is looked up once: a lookup crosses
// into C.
var (
	KModule            = kind("module")
	KError             = kind("ERROR")
	KIdentifier        = kind("identifier")
	KAttribute         = kind("attribute")
	KCall              = kind("call")
	KArgumentList      = kind("argument_list")
	KKeywordArgument   = kind("keyword_argument")
	KString            = kind("string")
	KStringContent     = kind("string_content")
	KStringStart       = kind("string_start")
	KEscapeSequence    = kind("escape_sequence")
	KInterpolation     = kind("interpolation")
	KConcatenated      = kind("concatenated_string")
	KBinaryOperator    = kind("binary_operator")
	KSubscript         = kind("subscript")
	KSlice             = kind("slice")
	KList              = kind("list")
	KTuple             = kind("tuple")
	KParenthesized     = kind("parenthesized_expression")
	KInteger           = kind("integer")
	KUnaryOperator     = kind("unary_operator")
	KListComprehension = kind("list_comprehension")
	KGeneratorExpr     = kind("generator_expression")
	KImport            = kind("import_statement")
	KImportFrom        = kind("import_from_statement")
	KFutureImport      = kind("future_import_statement")
	KDottedName        = kind("dotted_name")
	KAliasedImport     = kind("aliased_import")
	KRelativeImport    = kind("relative_import")
	KWildcardImport    = kind("wildcard_import")
	KAssignment        = kind("assignment")
	KAugAssignment     = kind("augmented_assignment")
	KFunctionDef       = kind("function_definition")
	KClassDef          = kind("class_definition")
	KDecorated         = kind("decorated_definition")
	KLambda            = kind("lambda")
	KExecStatement     = kind("exec_statement")
	KPrintStatement    = kind("print_statement")
	KExpressionStmt    = kind("expression_statement")
	KComment           = kind("comment")
	KBlock             = kind("block")
	KDictionary        = kind("dictionary")
	KPair              = kind("pair")
	KWith              = kind("with_statement")
	KWithItem          = kind("with_item")
	KAsPattern         = kind("as_pattern")
	KReturn            = kind("return_statement")
	KForIn             = kind("for_in_clause")
	KPatternList       = kind("pattern_list")
	KExprList          = kind("expression_list")
	KDefaultParam      = kind("default_parameter")
	KTypedParam        = kind("typed_parameter")
	KType              = kind("type")
	KTypedDefaultParam = kind("typed_default_parameter")
	KStringEnd         = kind("string_end")
	KFloat             = kind("float")
	KTrue              = kind("true")
	KFalse             = kind("false")
	KNone              = kind("none")
	KSet               = kind("set")
	KIf                = kind("if_statement")
	KFor               = kind("for_statement")
	KGlobal            = kind("global_statement")
	KNonlocal          = kind("nonlocal_statement")
	KNamedExpr         = kind("named_expression")
	KExceptClause      = kind("except_clause")
	KListSplatPattern  = kind("list_splat_pattern")
	KDictSplatPattern  = kind("dictionary_splat_pattern")
	KListPattern       = kind("list_pattern")
	KTuplePattern      = kind("tuple_pattern")
	KAsPatternTarget   = kind("as_pattern_target")
	KListSplat         = kind("list_splat")
	KDictSplat         = kind("dictionary_splat")
	KKeywordSeparator  = kind("keyword_separator")
	KDecorator         = kind("decorator")
	KBooleanOperator   = kind("boolean_operator")
	KConditionalExpr   = kind("conditional_expression")
	KComparison        = kind("comparison_operator")
	KNotOperator       = kind("not_operator")
)

// Fields the analysis uses.
var (
	FFunction     = field("function")
	FArguments    = field("arguments")
	FObject       = field("object")
	FAttribute    = field("attribute")
	FName         = field("name")
	FAlias        = field("alias")
	FParameters   = field("parameters")
	FCondition    = field("condition")
	FModule       = field("module_name")
	FLeft         = field("left")
	FRight        = field("right")
	FValue        = field("value")
	FSubscript    = field("subscript")
	FBody         = field("body")
	FOperator     = field("operator")
	FKey          = field("key")
	FCode         = field("code")
	FArgument     = field("argument")
	FSuperclasses = field("superclasses")
)
