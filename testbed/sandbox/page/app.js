// The sandbox's chat page: the chats of three people with the bot, their team's group
// (where the page acts as a chosen member), and the emulator's side panel. Plain script,
// no build step and nothing from outside this server.
//
// Safety: every text the bot or a person wrote is put in with textContent; formatting
// comes only from the message entities the stand-in parsed (as a Telegram app does),
// mapped to a fixed set of elements. Nothing is ever assigned to innerHTML.
'use strict';

(() => {
  const RETRY_MS = 2000;
  const TOAST_MS = 3500;
  const MAX_UPLOAD_BYTES = 20 * 1024 * 1024; // what a bot may download from Telegram
  const FINAL_STATUSES = new Set(['CLOSED', 'CANCELED', 'NOT_ENOUGH_MONEY']);
  const BLOCKS = new Set(['pre', 'blockquote', 'expandable_blockquote']);
  const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
  const COMMAND_IN_TEXT = /(^|[\s(])(\/[A-Za-z0-9_]{1,32})(?![\w/@])/g;

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const page = {
    bot: null,
    people: [],
    groups: [], // the team's group: {chat_id (negative), title, members: [user_id]}
    acting: new Map(), // group chat_id -> the user_id the page writes and taps as there
    replyTo: null, // in a group: the message the next text replies to
    current: null, // the chat shown: a person's user_id, or a group's chat_id
    seq: 0, // the stand-in's last chat event the page has applied
    loaded: false,
    chats: new Map(), // user_id -> chat
    nodes: new Map(), // message_id -> <li>, for the chat shown
    panel: { version: '', state: null, fetchedAt: 0 },
  };

  // -- talking to the server ------------------------------------------------

  // The server answers only this page: every call carries the token the page was served
  // with, and every POST is JSON.
  const token = document.querySelector('meta[name="sandbox-token"]').content;

  async function call(method, path, body) {
    const options = { method, headers: { 'X-Sandbox-Token': token } };
    if (method !== 'GET') {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body === undefined ? {} : body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const reason = data && (data.error || data.description || data.message || data.code);
      throw new Error(reason || `${response.status} ${response.statusText}`);
    }
    return data;
  }

  const person = (userId) => page.people.find((p) => p.user_id === userId);
  const isGroup = (chatId) => chatId < 0;
  const groupOf = (chatId) => page.groups.find((g) => g.chat_id === chatId);
  const kindOf = (chatId) => (isGroup(chatId) ? 'group' : person(chatId).kind);
  const userPath = (action) =>
    isGroup(page.current)
      ? `/_standin/groups/${page.current}/${action}`
      : `/_standin/users/${page.current}/${action}`;

  // Who the page is in the group shown: the member chosen, the first one at first.
  function actingAs(chatId) {
    const group = groupOf(chatId);
    return page.acting.get(chatId) || (group ? group.members[0] : null);
  }

  // -- the chats' model -----------------------------------------------------------

  function chatOf(userId) {
    let chat = page.chats.get(userId);
    if (!chat) {
      chat = { messages: new Map(), order: [], replyKeyboard: null, keyboardHidden: false, unread: 0 };
      page.chats.set(userId, chat);
    }
    return chat;
  }

  function placeInOrder(chat, messageId) {
    if (chat.order.includes(messageId)) return;
    const after = chat.order.findIndex((id) => id > messageId);
    if (after === -1) chat.order.push(messageId);
    else chat.order.splice(after, 0, messageId);
  }

  function applyFeed(feed) {
    const firstLoad = !page.loaded;
    if (feed.reset) {
      page.chats.clear();
      page.nodes.clear();
      $('messages').replaceChildren();
    }
    for (const [key, change] of Object.entries(feed.chats)) {
      const userId = Number(key);
      const chat = chatOf(userId);
      const touched = [];
      let fromBot = 0;
      for (const event of change.events) {
        const message = event.message;
        const id = message.message_id;
        // A question that asks for a reply (force_reply): the app opens the reply at once.
        const asksReply = message.reply_keyboard && message.reply_keyboard.force_reply;
        if (!firstLoad && event.kind === 'sent' && asksReply && userId === page.current) {
          setReplyTo(id);
        }
        if (event.kind === 'deleted') {
          chat.messages.delete(id);
          chat.order = chat.order.filter((known) => known !== id);
        } else {
          chat.messages.set(id, message);
          placeInOrder(chat, id);
          if (event.kind === 'sent' && message.from_bot) fromBot += 1;
        }
        touched.push({ id, kind: event.kind });
      }
      const keyboard = change.reply_keyboard || null;
      const keyboardChanged = JSON.stringify(keyboard) !== JSON.stringify(chat.replyKeyboard);
      chat.replyKeyboard = keyboard;
      if (keyboardChanged) chat.keyboardHidden = false;
      if (userId === page.current) {
        if (!firstLoad) patchMessages(chat, touched);
        if (keyboardChanged && !firstLoad) renderReplyKeyboard();
      } else if (!firstLoad) {
        chat.unread += fromBot;
      }
    }
    page.seq = feed.seq;
    page.loaded = true;
    if (firstLoad || feed.reset) renderChat();
    renderPeople();
    // A decision about someone's access always comes with a message to them.
    if (Object.keys(feed.chats).length > 0) refreshRoles();
  }

  async function followChats() {
    for (;;) {
      try {
        // The first look answers at once, so that an empty chat shows as empty.
        const wait = page.loaded ? '' : '&wait=0';
        const feed = await call('GET', `/_sandbox/feed?since=${page.seq}${wait}`);
        setOnline(true);
        applyFeed(feed);
      } catch (error) {
        setOnline(false);
        await sleep(RETRY_MS);
      }
    }
  }

  function setOnline(online) {
    const status = $('chat-status');
    status.textContent = online ? 'bot' : 'connecting…';
    status.classList.toggle('offline', !online);
  }

  // -- rendering a message ----------------------------------------------------

  function safeUrl(raw) {
    try {
      const url = new URL(raw, window.location.href);
      return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function commandLink(command) {
    const link = el('span', 'command-link', command);
    link.setAttribute('role', 'link');
    link.tabIndex = 0;
    const send = () => sendText(command);
    link.addEventListener('click', send);
    link.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') send();
    });
    return link;
  }

  // Plain text; in the bot's messages /commands become links, as in Telegram's apps.
  function appendText(parent, text, linkCommands) {
    if (!linkCommands) {
      parent.append(document.createTextNode(text));
      return;
    }
    let last = 0;
    for (const match of text.matchAll(COMMAND_IN_TEXT)) {
      const start = match.index + match[1].length;
      parent.append(document.createTextNode(text.slice(last, start)));
      parent.append(commandLink(match[2]));
      last = start + match[2].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function entityNode(entity, covered) {
    switch (entity.type) {
      case 'bold':
        return el('strong');
      case 'italic':
        return el('em');
      case 'underline':
        return el('u');
      case 'strikethrough':
        return el('s');
      case 'code':
        return el('code');
      case 'pre': {
        const pre = el('pre');
        if (entity.language) pre.dataset.language = String(entity.language);
        return pre;
      }
      case 'blockquote':
      case 'expandable_blockquote':
        return el('blockquote');
      case 'spoiler': {
        const spoiler = el('span', 'spoiler');
        spoiler.title = 'Show';
        spoiler.addEventListener('click', () => spoiler.classList.add('revealed'));
        return spoiler;
      }
      case 'text_link':
      case 'url': {
        const href = safeUrl(entity.type === 'url' ? covered : entity.url);
        if (!href) return el('span');
        const link = el('a');
        link.href = href;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        return link;
      }
      case 'bot_command':
        return commandLink(covered);
      default:
        return el('span'); // mentions, hashtags, custom emoji: shown as plain text
    }
  }

  // Telegram entities nest (the stand-in parses them from HTML); offsets are in UTF-16
  // code units, as JavaScript strings count.
  function appendFormatted(parent, text, entities, start, end, linkCommands) {
    let position = start;
    let index = 0;
    while (index < entities.length) {
      const entity = entities[index];
      const entityEnd = entity.offset + entity.length;
      let next = index + 1;
      while (next < entities.length && entities[next].offset < entityEnd) next += 1;
      const from = Math.max(entity.offset, position);
      const to = Math.min(entityEnd, end);
      if (from > position) appendText(parent, text.slice(position, from), linkCommands);
      if (to > from) {
        const covered = text.slice(from, to);
        const node = entityNode(entity, covered);
        if (entity.type === 'bot_command') {
          parent.append(node);
        } else {
          const plain = linkCommands && !['code', 'pre', 'text_link', 'url'].includes(entity.type);
          appendFormatted(node, text, entities.slice(index + 1, next), from, to, plain);
          parent.append(node);
        }
        position = to;
        // A block ends its line itself: the newline after it would add an empty one.
        if (BLOCKS.has(entity.type) && position < end && text[position] === '\n') position += 1;
      }
      index = next;
    }
    if (position < end) appendText(parent, text.slice(position, end), linkCommands);
  }

  function formatted(text, entities, linkCommands) {
    const fragment = document.createDocumentFragment();
    const valid = (entities || [])
      .filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.length > 0)
      .slice()
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    appendFormatted(fragment, text, valid, 0, text.length, linkCommands);
    return fragment;
  }

  function clockOf(unixSeconds) {
    const date = new Date(unixSeconds * 1000);
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  function sizeOf(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function documentNode(document_) {
    const box = el('div', 'file');
    const icon = el('span', 'file-icon');
    icon.append(svgIcon('M6 3h8l4 4v14H6zM14 3v4h4'));
    const about = el('div');
    about.append(el('div', 'file-name', document_.file_name || 'file'));
    about.append(el('div', 'file-size', sizeOf(document_.file_size || 0)));
    box.append(icon, about);
    return box;
  }

  // A photo as Telegram shows it: the largest size, fitted to the bubble. The file comes
  // through the control API (it wants the page's token, which an <img> cannot send) and
  // is shown as a data: URL, the one image source the page's policy allows besides itself.
  const photoUrls = new Map(); // file_id -> data: URL, so a redrawn chat fetches nothing
  function photoNode(sizes) {
    const largest = sizes[sizes.length - 1];
    const image = el('img', 'photo');
    image.alt = 'Photo';
    image.width = largest.width;
    image.height = largest.height;
    const known = photoUrls.get(largest.file_id);
    if (known) {
      image.src = known;
    } else {
      loadPhoto(largest.file_id).then((url) => {
        photoUrls.set(largest.file_id, url);
        image.src = url;
      }).catch(() => { image.alt = 'Photo (not loaded)'; });
    }
    return image;
  }

  async function loadPhoto(fileId) {
    const response = await fetch(`/_standin/files/${encodeURIComponent(fileId)}`, {
      headers: { 'X-Sandbox-Token': token },
    });
    if (!response.ok) throw new Error(`${response.status}`);
    return readAsDataUrl(await response.blob());
  }

  function svgIcon(path) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const line = document.createElementNS(ns, 'path');
    line.setAttribute('d', path);
    svg.append(line);
    return svg;
  }

  function inlineKeyboardNode(message) {
    const keyboard = el('div', 'inline-keyboard');
    for (const row of message.inline_keyboard) {
      const rowNode = el('div', 'kb-row');
      for (const button of row) {
        rowNode.append(inlineButtonNode(message, button));
      }
      keyboard.append(rowNode);
    }
    return keyboard;
  }

  function inlineButtonNode(message, button) {
    if (typeof button.callback_data === 'string') {
      const node = el('button', 'kb-button', button.text);
      node.type = 'button';
      node.dataset.callback = button.callback_data;
      node.addEventListener('click', () => tap(message.message_id, button.callback_data, node));
      return node;
    }
    const href = button.url ? safeUrl(button.url) : null;
    if (href) {
      const link = el('a', 'kb-button', `${button.text} ↗`);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      return link;
    }
    const other = el('button', 'kb-button', button.text);
    other.type = 'button';
    other.disabled = true;
    other.title = 'This kind of button does nothing in the sandbox';
    return other;
  }

  function sideOf(message) {
    if (message.from_bot) return 'from-bot';
    if (!isGroup(page.current)) return 'from-me';
    return message.sender && message.sender.id === actingAs(page.current) ? 'from-me' : 'from-other';
  }

  // What a group shows between messages: who joined, or where the group went.
  function serviceText(message) {
    const who = (message.sender || {}).first_name || 'Someone';
    if (message.new_chat_members) {
      const names = message.new_chat_members.map((member) => member.first_name).join(', ');
      return `${who} added ${names}`;
    }
    if (message.migrate_to_chat_id) return 'The group became a supergroup';
    if (message.migrate_from_chat_id) return 'Upgraded from a group';
    return null;
  }

  function messageNode(message) {
    const service = serviceText(message);
    if (service !== null) {
      const item = el('li', 'message service', service);
      item.dataset.messageId = message.message_id;
      return item;
    }
    const side = sideOf(message);
    const item = el('li', `message ${side}`);
    item.dataset.messageId = message.message_id;
    const bubble = el('div', 'bubble');
    if (isGroup(page.current)) {
      const name = message.from_bot ? page.bot.first_name : (message.sender || {}).first_name;
      if (side !== 'from-me') bubble.append(el('div', 'sender', name || '?'));
      if (message.reply_to_message_id) {
        const quoted = chatOf(page.current).messages.get(message.reply_to_message_id);
        const snippet = quoted ? (quoted.text || quoted.caption || '').slice(0, 60) : '…';
        bubble.append(el('div', 'quoted', snippet));
      }
    }
    if (message.document) bubble.append(documentNode(message.document));
    if (message.photo && message.photo.length) bubble.append(photoNode(message.photo));
    if (message.sticker) bubble.append(el('div', 'sticker', message.sticker.emoji || '?'));
    if (message.contact) {
      const { first_name: name, phone_number: phone } = message.contact;
      bubble.append(el('div', 'file-name', `📱 ${name}, ${phone}`));
    }
    const text = message.text !== null && message.text !== undefined ? message.text : message.caption;
    if (text) {
      const entities = message.text !== null && message.text !== undefined ? message.entities : [];
      const body = el('span', 'text');
      body.append(formatted(text, entities, message.from_bot));
      bubble.append(body);
    }
    const meta = el('span', 'meta');
    if (message.edit_date) meta.append(el('span', 'edited', 'edited'));
    meta.append(el('time', null, clockOf(message.edit_date || message.date)));
    bubble.append(meta);
    item.append(bubble);
    if (message.inline_keyboard && message.inline_keyboard.length) {
      item.append(inlineKeyboardNode(message));
    }
    if (isGroup(page.current) && message.from_bot) {
      const reply = el('button', 'reply-link', 'Reply');
      reply.type = 'button';
      reply.title = 'Reply to this message (the bot reads replies to its own messages)';
      reply.addEventListener('click', () => setReplyTo(message.message_id));
      item.append(reply);
    }
    return item;
  }

  function setReplyTo(messageId) {
    page.replyTo = messageId;
    const bar = $('reply-bar');
    if (messageId === null) {
      bar.hidden = true;
      return;
    }
    const message = chatOf(page.current).messages.get(messageId);
    $('reply-text').textContent = `Replying to: ${((message && message.text) || '').slice(0, 80)}`;
    bar.hidden = false;
    $('input').focus({ preventScroll: true });
  }

  // -- rendering the chat shown ---------------------------------------------------

  function nearBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function scrollToBottom() {
    const list = $('messages');
    list.scrollTop = list.scrollHeight;
  }

  function renderChat() {
    const chat = chatOf(page.current);
    const list = $('messages');
    page.nodes.clear();
    list.replaceChildren();
    for (const id of chat.order) {
      const node = messageNode(chat.messages.get(id));
      page.nodes.set(id, node);
      list.append(node);
    }
    $('empty-chat').hidden = chat.order.length > 0 || !page.loaded;
    const group = isGroup(page.current);
    $('empty-hint').hidden = group;
    $('start-button').hidden = group;
    $('empty-group-hint').hidden = !group;
    for (const id of ['attach', 'menu-button']) $(id).hidden = group;
    renderReplyKeyboard();
    scrollToBottom();
  }

  function patchMessages(chat, touched) {
    const list = $('messages');
    const stick = nearBottom(list);
    let added = false;
    for (const { id, kind } of touched) {
      const old = page.nodes.get(id);
      const message = chat.messages.get(id);
      if (!message) {
        if (old) old.remove();
        page.nodes.delete(id);
        continue;
      }
      const node = messageNode(message);
      page.nodes.set(id, node);
      if (old) {
        old.replaceWith(node);
        if (kind === 'edited') flash(node);
      } else {
        const nextId = chat.order.find((known) => known > id && page.nodes.has(known));
        list.insertBefore(node, nextId === undefined ? null : page.nodes.get(nextId));
        added = true;
      }
    }
    $('empty-chat').hidden = chat.order.length > 0;
    if (stick || added) scrollToBottom();
  }

  function flash(node) {
    node.classList.add('flash');
    setTimeout(() => node.classList.remove('flash'), 1300);
  }

  function renderReplyKeyboard() {
    const chat = chatOf(page.current);
    const markup = chat.replyKeyboard;
    const rows = markup && Array.isArray(markup.keyboard) ? markup.keyboard : null;
    const box = $('reply-keyboard');
    const toggle = $('keyboard-toggle');
    box.replaceChildren();
    toggle.hidden = !rows;
    $('input').placeholder = (markup && markup.input_field_placeholder) || 'Message';
    if (!rows || chat.keyboardHidden) {
      box.hidden = true;
      return;
    }
    for (const row of rows) {
      const rowNode = el('div', 'rk-row');
      for (const button of row) {
        const text = typeof button === 'string' ? button : button.text;
        const node = el('button', 'rk-button', text);
        node.type = 'button';
        node.addEventListener('click', () => replyTap(text, markup));
        rowNode.append(node);
      }
      box.append(rowNode);
    }
    box.hidden = false;
  }

  function groupButton(group) {
    const button = el('button', 'person');
    button.type = 'button';
    button.dataset.kind = 'group';
    button.setAttribute('aria-pressed', String(group.chat_id === page.current));
    button.title = `${group.title}: the team's group chat with the bot`;
    const avatar = el('span', 'avatar kind-group', '👥');
    const label = el('span', 'person-label');
    label.append(el('span', 'person-name', `${group.title} `));
    label.append(el('span', 'person-kind', 'group'));
    button.append(avatar, label);
    const unread = chatOf(group.chat_id).unread;
    if (unread > 0 && group.chat_id !== page.current) {
      const badge = el('span', 'badge', unread);
      badge.setAttribute('aria-label', `${unread} new`);
      button.append(badge);
    }
    button.addEventListener('click', () => choosePerson(group.chat_id));
    return button;
  }

  function renderWhoAmI() {
    const whoami = $('whoami');
    whoami.replaceChildren();
    const group = groupOf(page.current);
    if (group) {
      const label = el('label', null, 'You act as ');
      const select = el('select');
      select.id = 'acting-as';
      for (const memberId of group.members) {
        const member = person(memberId);
        const option = el('option', null, member ? `${member.first_name} (${member.kind})` : memberId);
        option.value = String(memberId);
        option.selected = memberId === actingAs(group.chat_id);
        select.append(option);
      }
      select.addEventListener('change', () => {
        page.acting.set(group.chat_id, Number(select.value));
        renderChat();
      });
      label.append(select);
      whoami.append(label);
      return;
    }
    const me = person(page.current);
    if (me) {
      whoami.append('You are ');
      whoami.append(el('strong', null, me.first_name));
      whoami.append(el('div', null, `Telegram id ${me.user_id}`));
    }
  }

  function renderPeople() {
    const nav = $('people');
    nav.replaceChildren();
    for (const someone of page.people) {
      const button = el('button', 'person');
      button.type = 'button';
      button.dataset.kind = someone.kind;
      button.setAttribute('aria-pressed', String(someone.user_id === page.current));
      const role = roleLabel(someone.role);
      button.title = `${someone.first_name}, ${role} (Telegram id ${someone.user_id})`;
      const avatar = el('span', `avatar kind-${someone.kind}`, someone.first_name.slice(0, 1));
      const label = el('span', 'person-label');
      label.append(el('span', 'person-name', `${someone.first_name} `));
      label.append(el('span', 'person-kind', role));
      button.append(avatar, label);
      const unread = chatOf(someone.user_id).unread;
      if (unread > 0 && someone.user_id !== page.current) {
        const badge = el('span', 'badge', unread);
        badge.setAttribute('aria-label', `${unread} new`);
        button.append(badge);
      }
      button.addEventListener('click', () => choosePerson(someone.user_id));
      nav.append(button);
    }
    for (const group of page.groups) nav.append(groupButton(group));
    if (!document.activeElement || document.activeElement.id !== 'acting-as') renderWhoAmI();
  }

  // The role the bot gives each person now; the chip follows an approval or a revocation.
  function roleLabel(role) {
    return role || 'no access';
  }

  let rolesAsked = null;
  async function refreshRoles() {
    if (rolesAsked) return rolesAsked; // one look at a time is enough
    rolesAsked = (async () => {
      try {
        const roles = await call('GET', '/_sandbox/people');
        let changed = false;
        for (const { user_id: userId, role } of roles) {
          const someone = person(userId);
          if (someone && someone.role !== role) {
            someone.role = role;
            changed = true;
          }
        }
        if (changed) renderPeople();
      } catch (error) {
        // The feed shows the connection's state; the chips are tried again at its next change.
      } finally {
        rolesAsked = null;
      }
    })();
    return rolesAsked;
  }

  // A person's chat with the bot, or the group (a negative chat id).
  function choosePerson(chatId) {
    if (!person(chatId) && !groupOf(chatId)) return;
    page.current = chatId;
    chatOf(chatId).unread = 0;
    const kind = kindOf(chatId);
    if (window.location.hash !== `#${kind}`) {
      window.history.replaceState(null, '', `#${kind}`);
    }
    const group = groupOf(chatId);
    $('chat-name').textContent = group ? group.title : page.bot.first_name;
    setReplyTo(null);
    closeCommands();
    renderPeople();
    renderChat();
    $('input').focus({ preventScroll: true });
  }

  // -- what a person does ---------------------------------------------------------

  let toastTimer = null;
  function showToast(text, isError) {
    const toast = $('toast');
    toast.textContent = text;
    toast.classList.toggle('error', Boolean(isError));
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, TOAST_MS);
  }

  function showAlert(text) {
    const dialog = $('alert-dialog');
    $('alert-text').textContent = text;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      window.alert(text);
    }
  }

  async function attempt(action) {
    try {
      return await action();
    } catch (error) {
      showToast(error.message, true);
      return null;
    }
  }

  function sendText(text) {
    closeCommands();
    if (isGroup(page.current)) {
      const body = { user_id: actingAs(page.current), text };
      if (page.replyTo !== null) body.reply_to_message_id = page.replyTo;
      setReplyTo(null);
      return attempt(() => call('POST', userPath('text'), body));
    }
    return attempt(() => call('POST', userPath('text'), { text }));
  }

  function replyTap(text, markup) {
    if (markup.one_time_keyboard) {
      chatOf(page.current).keyboardHidden = true;
      renderReplyKeyboard();
    }
    return attempt(() => call('POST', userPath('reply_tap'), { text }));
  }

  // Like a Telegram app: the button shows a spinner until the bot answers the tap, and
  // the answer's text comes as a toast, or as a dialog when the bot asks for an alert.
  async function tap(messageId, data, node) {
    const who = page.current;
    node.classList.add('pending');
    try {
      const body = { button: data, message_id: messageId };
      if (isGroup(who)) body.user_id = actingAs(who); // the member who presses it
      const update = await call('POST', userPath('tap'), body);
      const queryId = encodeURIComponent(update.callback_query.id);
      const answer = await call('GET', `/_sandbox/answers/${queryId}`);
      if (who !== page.current || !answer.answered || !answer.text) return;
      if (answer.show_alert) showAlert(answer.text);
      else showToast(answer.text);
    } catch (error) {
      showToast(error.message, true);
    } finally {
      node.classList.remove('pending');
    }
  }

  function readAsDataUrl(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error || new Error('the file cannot be read'));
      reader.readAsDataURL(file);
    });
  }

  async function readAsBase64(file) {
    return (await readAsDataUrl(file)).split(',', 2)[1] || '';
  }

  function mimeTypeOf(file) {
    if (file.type) return file.type;
    if (/\.csv$/i.test(file.name)) return 'text/csv';
    if (/\.txt$/i.test(file.name)) return 'text/plain';
    return 'application/octet-stream';
  }

  async function upload(file) {
    if (file.size > MAX_UPLOAD_BYTES) {
      showToast(`${file.name} is larger than ${sizeOf(MAX_UPLOAD_BYTES)}`, true);
      return;
    }
    await attempt(async () => {
      const content = await readAsBase64(file);
      return call('POST', userPath('document'), {
        filename: file.name,
        content_base64: content,
        mime_type: mimeTypeOf(file),
      });
    });
  }

  // -- the command menu -----------------------------------------------------------

  function closeCommands() {
    $('commands').hidden = true;
    $('menu-button').setAttribute('aria-expanded', 'false');
  }

  async function toggleCommands() {
    const box = $('commands');
    if (!box.hidden) {
      closeCommands();
      return;
    }
    const commands = await attempt(() => call('GET', `/_sandbox/commands/${page.current}`));
    if (!commands) return;
    box.replaceChildren();
    if (commands.length === 0) box.append(el('div', 'command-item muted', 'No commands set yet.'));
    for (const command of commands) {
      const item = el('button', 'command-item');
      item.type = 'button';
      item.setAttribute('role', 'menuitem');
      item.append(el('span', 'command-name', `/${command.command}`));
      item.append(el('span', 'command-description', command.description));
      item.addEventListener('click', () => sendText(`/${command.command}`));
      box.append(item);
    }
    box.hidden = false;
    $('menu-button').setAttribute('aria-expanded', 'true');
  }

  // -- the emulator's panel -------------------------------------------------------

  function money(amount) {
    return typeof amount === 'number' ? amount.toFixed(2) : '—';
  }

  // The emulator's clock ("dd.MM.yyyy HH:mm:ss" in its zone), run on locally between
  // answers at the emulator's speed; it is shown, never sent back.
  function emulatedNow(panel) {
    const match = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(panel.state.clock || '');
    if (!match) return panel.state.clock || '';
    const [, day, month, year, hour, minute, second] = match.map(Number);
    const base = Date.UTC(year, month - 1, day, hour, minute, second);
    const elapsed = ((performance.now() - panel.fetchedAt) / 1000) * (panel.state.speed || 0);
    const now = new Date(base + elapsed * 1000);
    const two = (n) => String(n).padStart(2, '0');
    return (
      `${two(now.getUTCDate())}.${two(now.getUTCMonth() + 1)}.${now.getUTCFullYear()} ` +
      `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`
    );
  }

  function renderClock() {
    const panel = page.panel;
    if (!panel.state) return;
    $('clock').textContent = `${emulatedNow(panel)} ${panel.state.timezone || ''}`;
  }

  function renderBalance(state) {
    const balance = state.balance;
    $('balance').textContent = money(balance.balance);
    const details = $('balance-details');
    details.replaceChildren();
    const credit = balance.creditLimit;
    const rows = [
      ['Credit limit', credit ? `${money(credit.limit)} (${credit.dateStart || '…'} – ${credit.dateEnd || '…'})` : 'none'],
      ['Payments this period', money(balance.currentPayments)],
      ['Fees this period', money(balance.currentFees)],
    ];
    for (const [name, value] of rows) {
      details.append(el('dt', null, name), el('dd', null, value));
    }
    $('api-down').checked = Boolean(state.faults && state.faults.down);
  }

  function dispatchNode(id) {
    const item = el('li', 'dispatch');
    item.dataset.dispatchId = id;
    const head = el('div', 'dispatch-head');
    head.append(el('span', 'dispatch-id', `№${id}`), el('span', 'status'));
    const next = el('button', 'action secondary dispatch-next', 'Next status');
    next.type = 'button';
    next.title = 'Move this dispatch to its next status now';
    next.addEventListener('click', () => advance(id, next));
    head.append(next);
    const progress = el('div', 'progress');
    progress.append(el('div', 'progress-sent'), el('div', 'progress-delivered'));
    item.append(head, el('div', 'dispatch-text'), progress, el('div', 'dispatch-counts'));
    return item;
  }

  function updateDispatchNode(item, dispatch) {
    const status = item.querySelector('.status');
    status.textContent = dispatch.status;
    status.className = `status status-${/^[A-Z_]+$/.test(dispatch.status) ? dispatch.status : 'OTHER'}`;
    item.querySelector('.dispatch-text').textContent = dispatch.text;
    item.querySelector('.dispatch-text').title = dispatch.text;
    const count = dispatch.messagesCount || 0;
    const share = (n) => (count > 0 ? `${Math.min(100, (100 * n) / count)}%` : '0');
    item.querySelector('.progress-sent').style.width = share(dispatch.messagesSent);
    item.querySelector('.progress-delivered').style.width = share(dispatch.messagesDelivered);
    item.querySelector('.dispatch-counts').textContent =
      `sent ${dispatch.messagesSent} · delivered ${dispatch.messagesDelivered} of ${count}` +
      ` · ${dispatch.phonesCount} numbers · send ${dispatch.dateSend}`;
    const next = item.querySelector('.dispatch-next');
    next.hidden = FINAL_STATUSES.has(dispatch.status);
  }

  function renderDispatchList(list, dispatches) {
    const wanted = new Set(dispatches.map((d) => String(d.idDispatch)));
    for (const child of [...list.children]) {
      if (!wanted.has(child.dataset.dispatchId)) child.remove();
    }
    dispatches.forEach((dispatch, index) => {
      const id = String(dispatch.idDispatch);
      let item = list.querySelector(`[data-dispatch-id="${id}"]`);
      if (!item) item = dispatchNode(id);
      updateDispatchNode(item, dispatch);
      if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
    });
  }

  function renderPanel() {
    const state = page.panel.state;
    if (!state) return;
    renderClock();
    const life = state.timings ? Math.round(state.timings.close_after_seconds) : null;
    $('speed').textContent = !state.speed
      ? 'clock stopped'
      : life !== null ? `a dispatch closes ${life} s after it starts` : '';
    renderBalance(state);
    const newestFirst = (a, b) => b.idDispatch - a.idDispatch;
    const live = state.dispatches.filter((d) => !d.historical).sort(newestFirst);
    const old = state.dispatches.filter((d) => d.historical).sort(newestFirst);
    renderDispatchList($('dispatches'), live);
    renderDispatchList($('historical'), old);
    $('no-dispatches').hidden = live.length > 0;
    $('history-summary').textContent =
      `${old.length} older ${old.length === 1 ? 'one' : 'ones'} from the emulator's data file`;
  }

  function setPanelError(text) {
    const box = $('panel-error');
    box.textContent = text || '';
    box.hidden = !text;
  }

  async function followPanel() {
    for (;;) {
      try {
        const version = encodeURIComponent(page.panel.version);
        const answer = await call('GET', `/_sandbox/emulator/state?after=${version}`);
        page.panel.version = answer.version;
        page.panel.state = answer.state;
        page.panel.fetchedAt = performance.now();
        renderPanel();
        if ($('panel-error').dataset.kind === 'connection') setPanelError(null);
      } catch (error) {
        setPanelError(`The emulator does not answer: ${error.message}`);
        $('panel-error').dataset.kind = 'connection';
        await sleep(RETRY_MS);
      }
    }
  }

  async function panelAction(button, path, body) {
    button.disabled = true;
    try {
      await call('POST', path, body);
      setPanelError(null);
    } catch (error) {
      setPanelError(error.message);
      $('panel-error').dataset.kind = 'action';
    } finally {
      button.disabled = false;
    }
  }

  function advance(id, button) {
    return panelAction(button, `/_sandbox/emulator/dispatches/${encodeURIComponent(id)}/advance`);
  }

  function setPanelOpen(open) {
    document.body.classList.toggle('panel-open', open);
    $('panel-toggle').setAttribute('aria-expanded', String(open));
  }

  // -- start ----------------------------------------------------------------------

  function wireControls() {
    const input = $('input');
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      input.style.height = '';
      sendText(text);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $('composer').requestSubmit();
      }
    });
    input.addEventListener('input', () => {
      input.style.height = '';
      input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
    });
    $('attach').addEventListener('click', () => $('file').click());
    $('file').addEventListener('change', () => {
      const file = $('file').files[0];
      $('file').value = '';
      if (file) upload(file);
    });
    $('menu-button').addEventListener('click', toggleCommands);
    $('keyboard-toggle').addEventListener('click', () => {
      const chat = chatOf(page.current);
      chat.keyboardHidden = !chat.keyboardHidden;
      renderReplyKeyboard();
    });
    $('start-button').addEventListener('click', () => sendText('/start'));
    $('reply-cancel').addEventListener('click', () => setReplyTo(null));
    $('top-up').addEventListener('click', (event) =>
      panelAction(event.currentTarget, '/_sandbox/emulator/balance', { add: 100 }));
    $('drain').addEventListener('click', (event) =>
      panelAction(event.currentTarget, '/_sandbox/emulator/balance', { set: 0 }));
    $('api-down').addEventListener('change', (event) => {
      const box = event.currentTarget;
      panelAction(box, '/_sandbox/emulator/faults', { down: box.checked });
    });
    $('panel-toggle').addEventListener('click', () =>
      setPanelOpen(!document.body.classList.contains('panel-open')));
    $('panel-close').addEventListener('click', () => setPanelOpen(false));
    window.addEventListener('hashchange', () => {
      const wanted = chatFromHash();
      if (wanted !== null && wanted !== page.current) choosePerson(wanted);
    });
    setInterval(renderClock, 1000);
  }

  function chatFromHash() {
    if (window.location.hash === '#group' && page.groups.length) return page.groups[0].chat_id;
    const someone = page.people.find((p) => `#${p.kind}` === window.location.hash);
    return someone ? someone.user_id : null;
  }

  async function start() {
    wireControls();
    let config = null;
    while (!config) {
      try {
        config = await call('GET', '/_sandbox/config');
      } catch (error) {
        setOnline(false);
        await sleep(RETRY_MS);
      }
    }
    page.bot = config.bot;
    page.people = config.people;
    page.groups = config.groups || [];
    $('chat-name').textContent = config.bot.first_name;
    document.documentElement.lang = config.language || 'en';
    const fromHash = chatFromHash();
    page.current = fromHash === null ? page.people[0].user_id : fromHash;
    choosePerson(page.current);
    followChats();
    followPanel();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
