# lengths.awk: prints "LINES FILE:LINE NAME" for every function definition
# in the C files given: from the line that names it to its closing brace,
# both counted.  It reads C, not lines: comments, strings, character
# constants and preprocessor lines (a function-like macro with its
# continuation lines) are skipped, and a definition is a "{" at file level
# after "name(...)" with no "=" before it (a struct initialiser is not one),
# so a return type on its own line, a signature over several lines, an
# old-style (K&R) parameter list and a one-line static inline all count.
# A ";" at file level ends a declaration; a ";" after "name(a, b) int a"
# is an old-style parameter declaration and does not.
BEGIN {
    # words before a "(" that do not name a function
    kw = "^(void|char|short|int|long|float|double|signed|unsigned|const|" \
         "volatile|static|extern|inline|struct|union|enum|sizeof|return)$"
}

FNR == 1 {
    incomment = 0; inpp = 0; depth = 0
    reset()
}

function reset() {
    pdepth = 0; assign = 0; cand = ""; candline = 0
    ident = ""; identline = 0; lastsig = ""; afterparen = 0; knr = 0
}

# a "{" at file level: a function body when a name( ... ) came before it
function open_brace() {
    if (cand != "" && !assign && pdepth == 0 && (lastsig == ")" || knr)) {
        fname = cand; fline = candline; infunc = 1
    } else
        infunc = 0
}

{
    line = $0
    # a preprocessor line and its continuation lines say nothing here
    if (inpp || (!incomment && line ~ /^[ \t]*#/)) {
        inpp = (line ~ /\\$/)
        next
    }
    n = length(line)
    for (i = 1; i <= n; i++) {
        c = substr(line, i, 1)
        if (incomment) {
            if (c == "*" && substr(line, i + 1, 1) == "/") { incomment = 0; i++ }
            continue
        }
        if (c == "/" && substr(line, i + 1, 1) == "*") { incomment = 1; i++; continue }
        if (c == "/" && substr(line, i + 1, 1) == "/") break
        if (c == "\"" || c == "'") {
            # a string or character constant, escapes included
            for (i++; i <= n; i++) {
                d = substr(line, i, 1)
                if (d == "\\") { i++; continue }
                if (d == c) break
            }
            ident = ""; spaced = 0
            if (depth == 0) lastsig = c
            continue
        }
        if (depth > 0) {
            if (c == "{") depth++
            else if (c == "}" && --depth == 0) {
                if (infunc)
                    printf "%d %s:%d %s\n", FNR - fline + 1, FILENAME, fline, fname
                infunc = 0
                reset()
            }
            continue
        }
        # file level
        if (c ~ /[A-Za-z0-9_]/) {
            if (spaced) { ident = ""; spaced = 0 }
            if (ident == "") identline = FNR
            ident = ident c
            lastsig = c
            if (pdepth == 0 && afterparen) knr = 1
            continue
        }
        # the last word stays the name before a "(" after blanks, "f (x)"
        if (c ~ /[ \t]/) { spaced = (ident != ""); continue }
        if (c == "(") {
            if (ident ~ /^[A-Za-z_]/ && ident !~ kw && (pdepth == 0 || cand == "")) {
                cand = ident; candline = identline
            }
            pdepth++
        } else if (c == ")") {
            if (pdepth > 0) pdepth--
            if (pdepth == 0) { afterparen = 1; knr = 0 }
        } else if (c == "=" && pdepth == 0) {
            assign = 1
        } else if (c == ";" && pdepth == 0) {
            # the end of a declaration, or of one old-style parameter's
            if (!(cand != "" && knr && !assign)) reset()
            ident = ""
            continue
        } else if (c == "{") {
            open_brace()
            depth = 1
        } else if (c == "}") {
            reset()
        }
        ident = ""; spaced = 0
        lastsig = c
    }
    spaced = (ident != "")
}
