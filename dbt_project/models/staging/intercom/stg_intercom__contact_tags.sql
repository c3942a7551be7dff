-- One row per (contact, tag): the contact's `tags.data` list unnested.
with

contacts as (

    select * from {{ ref('stg_intercom__contacts') }}

),

unnested as (

    select
        contacts.contact_id,
        unnest(cast(contacts.tags -> '$.data' as json[])) as list_item

    from contacts

),

renamed as (

    select distinct
        contact_id,
        {{ json_text('list_item', '$.id') }} as tag_id

    from unnested

)

select * from renamed
