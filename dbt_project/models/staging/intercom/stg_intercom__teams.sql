with

source as (

    select * from {{ source('intercom', 'teams') }}

),

renamed as (

    select
        cast(id as varchar) as team_id,
        name as team_name,
        admin_ids,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id', '_airbyte_extracted_at') }}

)

select * from renamed
