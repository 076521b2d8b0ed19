# lengths.awk: prints "LINES FILE:LINE NAME" for every function definition
# in the C files given: from the line that names it to its closing brace at
# column 0, both counted.  A definition starts at a line at column 0 that is
# not a comment, preprocessor line or declaration and opens a parenthesis;
# its body is the next "{" at column 0.
FNR == 1 { state = 0 }
state == 0 && /^[A-Za-z_][A-Za-z0-9_ \*]*[ \*]\**[A-Za-z_][A-Za-z0-9_]*\(/ && !/;[ \t]*$/ && !/^(typedef|struct [A-Za-z_]+ *\{|static const|extern|return)/ {
    start = FNR; sig = $0; state = 1
    name = $0; sub(/\(.*/, "", name); sub(/.*[ \*]/, "", name)
    if ($0 ~ /\)[ \t]*\{[ \t]*$/) state = 2
    next
}
state == 1 {
    if (/;[ \t]*$/ && !/^\{/) { state = 0; next }
    if (/^\{/) state = 2
    next
}
state == 2 && /^\}/ {
    printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
    state = 0
}
