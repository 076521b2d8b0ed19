# bash completion for gpcov.  The commands and options come from gpcov's own
# --help texts (the one source of the options), so they never go stale:
#   source completion/gpcov.bash   (make install puts it where bash finds it)
_gpcov()
{
    local cur prev cmd words
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        words=$("${COMP_WORDS[0]}" --help 2>/dev/null |
                sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$words --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    local help
    help=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null) || return
    # an option that takes a value (an upper-case word follows it in the
    # help): complete file names for it
    if [[ $prev == -* ]] &&
       grep -Eq -- "^  (.* )?$prev [A-Z]" <<<"$help"; then
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
        return
    fi
    if [[ $cur == -* ]]; then
        words=$(grep -Eo -- '^  (-[a-zA-Z]|--[a-z0-9-]+)( [A-Z][^ ]*)? ?(--[a-z0-9-]+)?' <<<"$help" |
                grep -Eo -- '(^  -[a-zA-Z]|--[a-z0-9-]+)' | tr -d ' ' | sort -u)
        COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _gpcov gpcov
