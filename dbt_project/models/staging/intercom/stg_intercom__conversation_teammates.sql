-- One row per (conversation, admin): the conversation's `teammates.admins` list unnested
-- (every admin who took part in it).
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

unnested as (

    select
        conversations.conversation_id,
        unnest(cast(conversations.teammates -> '$.admins' as json[])) as list_item

    from conversations

),

renamed as (

    select distinct
        conversation_id,
        {{ json_text('list_item', '$.id') }} as admin_id

    from unnested

)

select * from renamed
