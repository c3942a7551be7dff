with

source as (

    select * from {{ source('intercom', 'tags') }}

),

renamed as (

    select
        cast(id as varchar) as tag_id,
        name as tag_name,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id', '_airbyte_extracted_at') }}

)

select * from renamed
