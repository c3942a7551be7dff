-- One row per (company, segment): `GET /companies/{id}/segments`, read per company.
with

source as (

    select * from {{ source('intercom', 'company_segments') }}

),

renamed as (

    select
        -- ids
        cast(company_id as varchar) as company_id,
        cast(id as varchar) as segment_id,

        -- attributes
        name as segment_name,
        person_type,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('company_id, id') }}

)

select * from renamed
