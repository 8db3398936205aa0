package python

import "github.com/safeguard-dev/safeguard/internal/python/syntax"

// Node kinds the analysis uses: package syntax's, under the names the
// rules and the evaluator know them by.
var (
	KModule            = syntax.KModule
	KError             = syntax.KError
	KIdentifier        = syntax.KIdentifier
	KAttribute         = syntax.KAttribute
	KCall              = syntax.KCall
	KArgumentList      = syntax.KArgumentList
	KKeywordArgument   = syntax.KKeywordArgument
	KString            = syntax.KString
	KStringContent     = syntax.KStringContent
	KStringStart       = syntax.KStringStart
	KEscapeSequence    = syntax.KEscapeSequence
	KInterpolation     = syntax.KInterpolation
	KConcatenated      = syntax.KConcatenated
	KBinaryOperator    = syntax.KBinaryOperator
	KSubscript         = syntax.KSubscript
	KSlice             = syntax.KSlice
	KList              = syntax.KList
	KTuple             = syntax.KTuple
	KParenthesized     = syntax.KParenthesized
	KInteger           = syntax.KInteger
	KUnaryOperator     = syntax.KUnaryOperator
	KListComprehension = syntax.KListComprehension
	KGeneratorExpr     = syntax.KGeneratorExpr
	KImport            = syntax.KImport
	KImportFrom        = syntax.KImportFrom
	KFutureImport      = syntax.KFutureImport
	KDottedName        = syntax.KDottedName
	KAliasedImport     = syntax.KAliasedImport
	KRelativeImport    = syntax.KRelativeImport
	KWildcardImport    = syntax.KWildcardImport
	KAssignment        = syntax.KAssignment
	KAugAssignment     = syntax.KAugAssignment
	KFunctionDef       = syntax.KFunctionDef
	KClassDef          = syntax.KClassDef
	KDecorated         = syntax.KDecorated
	KLambda            = syntax.KLambda
	KExecStatement     = syntax.KExecStatement
	KPrintStatement    = syntax.KPrintStatement
	KExpressionStmt    = syntax.KExpressionStmt
	KComment           = syntax.KComment
	KBlock             = syntax.KBlock
	KDictionary        = syntax.KDictionary
	KPair              = syntax.KPair
	KType              = syntax.KType
	KPatternList       = syntax.KPatternList
	KExprList          = syntax.KExprList
	KWith              = syntax.KWith
	kWithItem          = syntax.KWithItem
	kAsPattern         = syntax.KAsPattern
	KReturn            = syntax.KReturn
	kForIn             = syntax.KForIn
	kPatternList       = syntax.KPatternList
	kExprList          = syntax.KExprList
	kDefaultParam      = syntax.KDefaultParam
	kTypedParam        = syntax.KTypedParam
	kTypedDefaultParam = syntax.KTypedDefaultParam
	kStringEnd         = syntax.KStringEnd
	kFloat             = syntax.KFloat
	kTrue              = syntax.KTrue
	kFalse             = syntax.KFalse
	kComparison        = syntax.KComparison
	kNotOperator       = syntax.KNotOperator
	kNone              = syntax.KNone
	kIf                = syntax.KIf
	kFor               = syntax.KFor
	kGlobal            = syntax.KGlobal
	kNonlocal          = syntax.KNonlocal
	kNamedExpr         = syntax.KNamedExpr
	kExceptClause      = syntax.KExceptClause
	kListSplatPattern  = syntax.KListSplatPattern
	kDictSplatPattern  = syntax.KDictSplatPattern
	kListPattern       = syntax.KListPattern
	kTuplePattern      = syntax.KTuplePattern
	kAsPatternTarget   = syntax.KAsPatternTarget
	kListSplat         = syntax.KListSplat
	kDictSplat         = syntax.KDictSplat
	kKeywordSeparator  = syntax.KKeywordSeparator
	kDecorator         = syntax.KDecorator
	KBooleanOperator   = syntax.KBooleanOperator
	KConditionalExpr   = syntax.KConditionalExpr
)

// Fields the analysis uses.
var (
	FFunction     = syntax.FFunction
	FArguments    = syntax.FArguments
	FObject       = syntax.FObject
	FAttribute    = syntax.FAttribute
	FName         = syntax.FName
	FAlias        = syntax.FAlias
	fParameters   = syntax.FParameters
	fCondition    = syntax.FCondition
	FModule       = syntax.FModule
	FLeft         = syntax.FLeft
	FRight        = syntax.FRight
	FValue        = syntax.FValue
	FSubscript    = syntax.FSubscript
	FBody         = syntax.FBody
	FOperator     = syntax.FOperator
	FKey          = syntax.FKey
	FCode         = syntax.FCode
	FArgument     = syntax.FArgument
	FSuperclasses = syntax.FSuperclasses
)
