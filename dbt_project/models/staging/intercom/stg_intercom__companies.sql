with

source as (

    select * from {{ source('intercom', 'companies') }}

),

renamed as (

    select
        cast(id as varchar) as company_id,
        company_id as external_company_id,
        name as company_name,
        {{ json_text('plan', '$.name') }} as plan_name,
        monthly_spend,
        session_count,
        user_count,
        size as company_size,
        website,
        industry,
        custom_attributes,
        tags,
        segments,
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('remote_created_at') }} as remote_created_at,
        {{ epoch_to_timestamp('last_request_at') }} as last_request_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
