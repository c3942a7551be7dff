with

source as (

    select * from {{ source('intercom', 'segments') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as segment_id,

        -- attributes
        name as segment_name,
        person_type,
        "count" as count_members,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
