-- One row per (contact, company): the contact's `companies.data` list unnested.
with

contacts as (

    select * from {{ ref('stg_intercom__contacts') }}

),

unnested as (

    select
        contacts.contact_id,
        unnest(cast(contacts.companies -> '$.data' as json[])) as list_item

    from contacts

),

renamed as (

    select distinct
        contact_id,
        {{ json_text('list_item', '$.id') }} as company_id

    from unnested

)

select * from renamed
