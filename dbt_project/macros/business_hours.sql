{#- A select-list item: one row per date from `start_date` to `end_date` (SQL
    expressions, inclusive), named `column`. Use in `select {{ date_spine(...) }} from …`. -#}
{% macro date_spine(start_date, end_date, column='calendar_date') -%}
    cast(unnest(range(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp) + interval 1 day,
        interval 1 day
    )) as date) as {{ column }}
{%- endmacro %}

{#- "HH:MM" as minutes after midnight ("24:00" -> 1440). -#}
{% macro _minutes_of(text) -%}
    {%- set parts = (text | string).split(':') -%}
    {{ parts[0] | int * 60 + parts[1] | int }}
{%- endmacro %}

{#- The weekly office hours var as rows (iso_weekday 1 = Monday, opens/closes in minutes). -#}
{% macro office_hours_rows() -%}
    {%- set iso = {'monday': 1, 'tuesday': 2, 'wednesday': 3, 'thursday': 4,
                   'friday': 5, 'saturday': 6, 'sunday': 7} -%}
    {%- set rows = [] -%}
    {%- for day, intervals in var('intercom__office_hours').items() -%}
        {%- if day | lower not in iso -%}
            {{ exceptions.raise_compiler_error(
                "intercom__office_hours: unknown weekday '" ~ day ~ "'") }}
        {%- endif -%}
        {%- for interval in intervals -%}
            {%- do rows.append('(' ~ iso[day | lower] ~ ', ' ~ _minutes_of(interval[0]) ~ ', '
                               ~ _minutes_of(interval[1]) ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if rows -%}
    select * from (values {{ rows | join(', ') }}) as hours (iso_weekday, opens_minute, closes_minute)
    {%- else -%}
    select 1 as iso_weekday, 0 as opens_minute, 0 as closes_minute where false
    {%- endif -%}
{%- endmacro %}

{#- Business seconds between two readings of the business clock (see
    int_intercom__office_hour_windows): null when either is missing, 0 when the end
    is not after the start. -#}
{% macro business_seconds_between(start_clock, end_clock) -%}
    case
        when {{ start_clock }} is not null and {{ end_clock }} is not null
            then greatest({{ end_clock }} - {{ start_clock }}, 0)
    end
{%- endmacro %}

{#- Seconds as minutes (double), null stays null. -#}
{% macro seconds_to_minutes(column) -%}
    ({{ column }} / 60.0)
{%- endmacro %}
