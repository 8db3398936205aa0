package python

// Kind is a grammar symbol of a named node.
type Kind uint16

// Field is a grammar field name id.
type Field uint16

func kind(name string) Kind { return Kind(language.IdForNodeKind(name, true)) }

func field(name string) Field { return Field(language.FieldIdForName(name)) }

// Node kinds the analysis uses.
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
	kWithItem          = kind("with_item")
	kAsPattern         = kind("as_pattern")
	// Looked up once: each kind() or field() call crosses into C.
	kReturn            = kind("return_statement")
	kForIn             = kind("for_in_clause")
	kPatternList       = kind("pattern_list")
	kExprList          = kind("expression_list")
	kDefaultParam      = kind("default_parameter")
	kTypedParam        = kind("typed_parameter")
	kTypedDefaultParam = kind("typed_default_parameter")
)

// Fields the analysis uses.
var (
	FFunction     = field("function")
	FArguments    = field("arguments")
	FObject       = field("object")
	FAttribute    = field("attribute")
	FName         = field("name")
	FAlias        = field("alias")
	fParameters   = field("parameters")
	fCondition    = field("condition")
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
