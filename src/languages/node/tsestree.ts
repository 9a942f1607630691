/**
 * typescript-eslint's ESTree node types (`TSESTree`) with every node kind spelled as its string
 * (`'Identifier'`) instead of the enum member `AST_NODE_TYPES.Identifier`: the Node reader
 * compares `type` with strings, and loads nothing of typescript-eslint at run time (types only).
 * Narrowing by `type` works as with TSESTree itself. Import it as `TSESTree` from `ast.ts`; a node
 * type not listed below is added here as one more alias.
 */
import type { AST_NODE_TYPES, TSESTree as Enumerated } from '@typescript-eslint/types';

/** `T` with every `AST_NODE_TYPES` member, however deep, replaced by its string. */
type Spelled<T> = T extends AST_NODE_TYPES
  ? `${T}`
  : T extends readonly unknown[]
    ? { [I in keyof T]: Spelled<T[I]> }
    : T extends object
      ? { [K in keyof T]: Spelled<T[K]> }
      : T;

export type Node = Spelled<Enumerated.Node>;
export type Program = Spelled<Enumerated.Program>;
export type Identifier = Spelled<Enumerated.Identifier>;
export type CallExpression = Spelled<Enumerated.CallExpression>;
export type NewExpression = Spelled<Enumerated.NewExpression>;
export type ImportExpression = Spelled<Enumerated.ImportExpression>;
export type AssignmentExpression = Spelled<Enumerated.AssignmentExpression>;
export type BinaryExpression = Spelled<Enumerated.BinaryExpression>;
export type ObjectExpression = Spelled<Enumerated.ObjectExpression>;
export type TemplateLiteral = Spelled<Enumerated.TemplateLiteral>;
export type FunctionDeclaration = Spelled<Enumerated.FunctionDeclaration>;
export type FunctionExpression = Spelled<Enumerated.FunctionExpression>;
export type ArrowFunctionExpression = Spelled<Enumerated.ArrowFunctionExpression>;
export type ClassDeclaration = Spelled<Enumerated.ClassDeclaration>;
export type ClassExpression = Spelled<Enumerated.ClassExpression>;
export type MethodDefinition = Spelled<Enumerated.MethodDefinition>;
export type TSEnumDeclaration = Spelled<Enumerated.TSEnumDeclaration>;
export type TSEnumMember = Spelled<Enumerated.TSEnumMember>;
export type TSEnumBody = Spelled<Enumerated.TSEnumBody>;
export type ExportSpecifier = Spelled<Enumerated.ExportSpecifier>;
