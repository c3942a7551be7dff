{#- Staging for a data-attributes stream (company_attributes, contact_attributes): both
    streams have the same shape, so one definition serves them. Built-in attributes have
    no id, so the key is the attribute name (the stream's primary key). -#}
{% macro stg_data_attributes(source_table) %}
with

source as (

    select * from {{ source('intercom', source_table) }}

),

renamed as (

    select
        -- ids
        name as attribute_name,
        cast(id as varchar) as attribute_id,
        cast(admin_id as varchar) as created_by_admin_id,

        -- attributes
        model as attribute_model,
        full_name as attribute_full_name,
        label as attribute_label,
        description as attribute_description,
        data_type,
        options,

        -- booleans
        coalesce(custom, false) as is_custom,
        coalesce(archived, false) as is_archived,
        coalesce(api_writable, false) as is_api_writable,
        coalesce(ui_writable, false) as is_ui_writable,
        coalesce(messenger_writable, false) as is_messenger_writable,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('name') }}

)

select * from renamed
{% endmacro %}
