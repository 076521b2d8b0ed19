# bash completion for gpcov.  The commands come from `gpcov --help`, the
# options of a command from its option table (`gpcov --dump-options CMD`:
# name, alias, kind, value, choices, default, I/O role, tab-separated), the
# one source of the options, so they never go stale; a command without a
# table falls back to its --help text.
#   source completion/gpcov.bash   (make install puts it where bash finds it)
_gpcov_from_help()
{
    local help=$1 cur=$2 prev=$3 words
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

_gpcov()
{
    local cur prev cmd words table kind choices
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        words=$("${COMP_WORDS[0]}" --help 2>/dev/null |
                sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$words --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    if ! table=$("${COMP_WORDS[0]}" --dump-options "$cmd" 2>/dev/null); then
        local help
        help=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null) || return
        _gpcov_from_help "$help" "$cur" "$prev"
        return
    fi
    # the value of an option: its choices, or file names
    if [[ $prev == -* ]]; then
        kind=$(awk -F'\t' -v o="$prev" '$1 == o || $2 == o { print $3; exit }' <<<"$table")
        if [[ $kind == choice ]]; then
            choices=$(awk -F'\t' -v o="$prev" '$1 == o || $2 == o { print $5; exit }' <<<"$table")
            COMPREPLY=($(compgen -W "${choices//|/ }" -- "$cur"))
            return
        fi
        if [[ -n $kind && $kind != flag ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
        fi
    fi
    if [[ $cur == -* ]]; then
        words=$(awk -F'\t' '{ print $1; if ($2 != "-") print $2 }' <<<"$table")
        COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _gpcov gpcov
