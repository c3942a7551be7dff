-- One row per (company, tag): the company's `tags.tags` list unnested.
with

companies as (

    select * from {{ ref('stg_intercom__companies') }}

),

unnested as (

    select
        companies.company_id,
        unnest(cast(companies.tags -> '$.tags' as json[])) as list_item

    from companies

),

renamed as (

    select distinct
        company_id,
        {{ json_text('list_item', '$.id') }} as tag_id,
        {{ json_text('list_item', '$.name') }} as tag_name

    from unnested

)

select * from renamed
