-- One row per (conversation, contact): the conversation's `contacts.contacts` list unnested.
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

unnested as (

    select
        conversations.conversation_id,
        unnest(cast(conversations.contacts -> '$.contacts' as json[])) as contact

    from conversations

),

renamed as (

    select distinct
        conversation_id,
        {{ json_text('contact', '$.id') }} as contact_id,
        {{ json_text('contact', '$.external_id') }} as contact_external_id

    from unnested

)

select * from renamed
