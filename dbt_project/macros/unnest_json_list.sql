{#- A bridge model: one row per item of a JSON list held by a staging model.
    parent: the staging model; key: its id column; list_column / list_path: where the
    list sits (e.g. tags, '$.tags'); fields: output column → SQL over `list_item`. -#}
{% macro unnest_json_list(parent, key, list_column, list_path, fields) %}
with

parent as (

    select * from {{ ref(parent) }}

),

unnested as (

    select
        parent.{{ key }},
        unnest(cast(parent.{{ list_column }} -> '{{ list_path }}' as json[])) as list_item

    from parent

),

renamed as (

    select distinct
        {{ key }},
        {%- for column, expression in fields.items() %}
        {{ expression }} as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}

    from unnested

)

select * from renamed
{% endmacro %}
