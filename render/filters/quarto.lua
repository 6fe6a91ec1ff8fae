-- Quarto features the fallback renders with pandoc alone:
--   * callouts: ::: {.callout-note title="..."} (or a leading heading as title)
--     become a titled box the site stylesheet styles per kind; with collapse="true"
--     (or "false": collapsible, shown open) a <details> whose <summary> is the title,
--     so it opens and closes by mouse or keyboard without JavaScript, as Quarto's does;
--   * links to other pages written as `page.qmd` point at `page.html`.
--   * conditional content: .content-visible / .content-hidden divs and spans with
--     when-profile / unless-profile (active profiles) and when-format / unless-format
--     (the format is html) are kept or dropped as Quarto does; other conditions fail;
--   * column classes: a .column-page / .column-body div keeps its class (site.css widens it).
-- The default callout titles arrive as metadata (callout-<kind>-title), localised; the
-- active profiles as metadata quarto-profile (comma-separated, as QUARTO_PROFILE).

local KINDS = { note = true, tip = true, warning = true, important = true, caution = true }
local titles = {}
local profiles = {}

local function read_meta(meta)
  for kind in pairs(KINDS) do
    local value = meta["callout-" .. kind .. "-title"]
    titles[kind] = value and pandoc.utils.stringify(value) or kind
  end
  local active = meta["quarto-profile"] and pandoc.utils.stringify(meta["quarto-profile"]) or ""
  for name in active:gmatch("[^,%s]+") do
    profiles[name] = true
  end
end

local function any_of(value, known)
  for name in value:gmatch("[^,%s]+") do
    if known[name] then
      return true
    end
  end
  return false
end

local CONDITIONS = {
  ["when-profile"] = function(value) return any_of(value, profiles) end,
  ["unless-profile"] = function(value) return not any_of(value, profiles) end,
  ["when-format"] = function(value) return any_of(value, { html = true }) end,
  ["unless-format"] = function(value) return not any_of(value, { html = true }) end,
}

-- Quarto's rule: the element's conditions all hold -> .content-visible stays, .content-hidden goes.
local function conditional(element)
  local visible = element.classes:includes("content-visible")
  if not visible and not element.classes:includes("content-hidden") then
    return nil
  end
  local holds = true
  for key, value in pairs(element.attributes) do
    local test = CONDITIONS[key]
    if not test then
      error("fallback renderer: ." .. (visible and "content-visible" or "content-hidden") ..
        " condition '" .. key .. "' is not supported (supported: when-profile, unless-profile, " ..
        "when-format, unless-format)")
    end
    holds = holds and test(value)
  end
  if holds == visible then
    return element.content
  end
  return {}
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

return { { Meta = read_meta }, { Div = conditional, Span = conditional }, { Div = callout, Link = qmd_link } }
