/*
** expr_internal.h: the tree of a parsed expression, shared by the parser
** (expr.c) and the evaluator (expr_eval.c).  Private to the library.
*/
#ifndef GPCOV_EXPR_INTERNAL_H
#define GPCOV_EXPR_INTERNAL_H

#include "base_internal.h"

#include <stddef.h>

enum node_kind { N_NUM, N_STR, N_NULL, N_VAR, N_NEG, N_NOT, N_BIN, N_IN,
                 N_BETWEEN, N_ISNULL, N_CALL };
enum binop { B_ADD, B_SUB, B_MUL, B_DIV, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE,
             B_AND, B_OR };
enum fn { F_PCT, F_GROWTH, F_MIN, F_MAX, F_ABS, F_ROUND, F_COALESCE, F_IF };

struct node {
    enum node_kind kind;
    int op;      /* binop, fn, or negation flag for IN/BETWEEN/IS NULL */
    double num;
    char *str;   /* literal text or variable name */
    int height;  /* of the subtree: 0 for a leaf */
    size_t nkid;
    struct node **kid;
};

struct gpcov_expr {
    char *text;
    struct node *root;
    size_t nnames;
    char **names;
};

#endif
