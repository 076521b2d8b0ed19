# bash completion for gpcov.  The commands come from `gpcov --help`, the
# options of a command from its option table (`gpcov --dump-options CMD`:
# name, alias, kind, value, choices, default, I/O role, tab-separated), the
# one source of the options, so they never go stale (every command has a
# table).
#   source completion/gpcov.bash   (make install puts it where bash finds it)
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
    table=$("${COMP_WORDS[0]}" --dump-options "$cmd" 2>/dev/null) || return
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
