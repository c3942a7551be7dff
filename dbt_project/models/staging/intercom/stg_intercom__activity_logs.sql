with

source as (

    select * from {{ source('intercom', 'activity_logs') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as activity_log_id,
        {{ json_text('performed_by', '$.id') }} as performed_by_admin_id,

        -- attributes
        activity_type,
        activity_description,
        {{ json_text('performed_by', '$.type') }} as performed_by_type,
        {{ json_text('performed_by', '$.email') }} as performed_by_email,
        {{ json_text('performed_by', '$.ip') }} as performed_by_ip,
        metadata,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id', 'created_at') }}

)

select * from renamed
