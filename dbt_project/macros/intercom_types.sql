{#- Intercom sends times as integer Unix seconds. make_timestamp() reads microseconds
    since the epoch as a plain UTC TIMESTAMP, so results never depend on the session's
    or the machine's time zone (to_timestamp() would return TIMESTAMPTZ). -#}
{% macro epoch_to_timestamp(column) -%}
    make_timestamp(cast({{ column }} as bigint) * 1000000)
{%- endmacro %}

{#- A JSON scalar as text. DuckDB's `->` returns JSON, which silently fails string
    comparisons ('"x"' != 'x'); `->>` returns VARCHAR. -#}
{% macro json_text(column, path) -%}
    ({{ column }} ->> '{{ path }}')
{%- endmacro %}

{#- A JSON scalar cast to a type (bigint, double, boolean, ...). -#}
{% macro json_value(column, path, type) -%}
    try_cast({{ column }} ->> '{{ path }}' as {{ type }})
{%- endmacro %}

{#- A JSON scalar holding Unix seconds, as a UTC timestamp. -#}
{% macro json_timestamp(column, path) -%}
    {{ epoch_to_timestamp(json_value(column, path, 'bigint')) }}
{%- endmacro %}

{#- Keep the newest row of each key: newest updated_at, then newest extraction. -#}
{% macro dedupe_newest(key, updated_at='updated_at') -%}
    qualify row_number() over (
        partition by {{ key }}
        order by {{ updated_at }} desc nulls last, _airbyte_extracted_at desc
    ) = 1
{%- endmacro %}
