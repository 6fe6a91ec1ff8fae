-- Quarto features the fallback renders with pandoc alone:
--   * callouts: ::: {.callout-note title="..."} (or a leading heading as title)
--     become a titled box the site stylesheet styles per kind; with collapse="true"
--     (or "false": collapsible, shown open) a <details> whose <summary> is the title,
--     so it opens and closes by mouse or keyboard without JavaScript, as Quarto's does;
--   * links to other pages written as `page.qmd` point at `page.html`.
-- The default callout titles arrive as metadata (callout-<kind>-title), localised.

local KINDS = { note = true, tip = true, warning = true, important = true, caution = true }
local titles = {}

local function read_titles(meta)
  for kind in pairs(KINDS) do
    local value = meta["callout-" .. kind .. "-title"]
    titles[kind] = value and pandoc.utils.stringify(value) or kind
  end
end

local function callout(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and KINDS[kind] then
      local title
      if div.attributes.title then
        local parsed = pandoc.read(div.attributes.title, "markdown").blocks[1]
        title = parsed and parsed.content or {}
      elseif div.content[1] and div.content[1].t == "Header" then
        title = div.content[1].content
        div.content:remove(1)
      end
      title = title or { pandoc.Str(titles[kind]) }
      local collapse = div.attributes.collapse
      if collapse == "true" or collapse == "false" then
        local id = div.identifier ~= "" and (' id="' .. div.identifier .. '"') or ""
        local open = collapse == "false" and " open" or ""
        return {
          pandoc.RawBlock("html", "<details" .. id .. ' class="callout callout-' .. kind .. ' callout-collapsible"' ..
            open .. '>\n<summary class="callout-header">'),
          pandoc.Plain(title),
          pandoc.RawBlock("html", "</summary>"),
          pandoc.Div(div.content, { class = "callout-body" }),
          pandoc.RawBlock("html", "</details>"),
        }
      end
      local header = pandoc.Div({ pandoc.Plain(title) }, { class = "callout-header" })
      local body = pandoc.Div(div.content, { class = "callout-body" })
      return pandoc.Div({ header, body }, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }))
    end
  end
end

local function qmd_link(link)
  local target = link.target
  if target:match("^%a[%w+.-]*:") or target:match("^#") then
    return nil
  end
  local path, rest = target:match("^([^#?]*)%.qmd([#?].*)$")
  if not path then
    path, rest = target:match("^([^#?]*)%.qmd$"), ""
  end
  if path then
    link.target = path .. ".html" .. rest
    return link
  end
end

return { { Meta = read_titles }, { Div = callout, Link = qmd_link } }
