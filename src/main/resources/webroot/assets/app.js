/*
 * 一证通查 query pages, /accounts and /cards (SPEC §7, §13): one script for both, told which page it
 * serves by <body data-kind>. Plain script, no framework, no third-party code; talks only to this origin.
 * Nothing personal goes into a URL, except the dev-only simulator inbox (GET /dev/sms?phone=…),
 * which exists only when the service runs its simulators (GET /api/v1/page-config says so). No
 * request made on a normal visit fails by design (SPEC §7: no console error).
 */
(function () {
  'use strict';

  var API = '/api/v1';
  var REQUEST_TIMEOUT_MS = 15000;
  var PHONE_RE = /^1[3-9]\d{9}$/;
  var ID_LAST6_RE = /^\d{5}[\dX]$/;
  var ID_NUMBER_RE = /^\d{17}[\dX]$/;
  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = '10X98765432';
  // letters of any script and combining marks, the middle dot, single spaces (SPEC §13)
  var NAME_RE = /^[\p{L}\p{M}\u00B7]+(?: [\p{L}\p{M}\u00B7]+)*$/u;
  var CAPTCHA_RE = /^[A-Za-z0-9]{4}$/;
  var AUDIO_CAPTCHA_RE = /^\d{6}$/;
  var SMS_CODE_RE = /^\d{6}$/;
  var FINAL = { DONE: true, FAILED: true };

  var KIND = document.body.getAttribute('data-kind') === 'cards' ? 'cards' : 'accounts';

  /** What differs between the two query pages; everything else is shared. */
  var KINDS = {
    accounts: {
      endpoint: '/queries',
      purpose: null,
      fields: ['phone', 'idLast6', 'captcha', 'smsCode'],
      queryLimit: '该号码24小时内已查询过（每个号码24小时内只能查询一次），',
      status: {
        VERIFYING: '正在向运营商核验号码实名信息…',
        QUERYING: '正在向各企业查询账号数量…',
        FAILED: '查询未成功。如号码与身份证号码后六位不一致，您将收到说明短信，请核对信息后于24小时后重新查询。已销号的号码无法在此查询，也收不到短信；其绑定的账号可拨打企业客服电话咨询。'
      }
    },
    cards: {
      endpoint: '/card-queries',
      purpose: 'cards',
      fields: ['phone', 'name', 'idNumber', 'captcha', 'smsCode'],
      queryLimit: '该身份证号码或手机号码24小时内已查询过电话卡（24小时内只能查询一次），',
      status: {
        VERIFYING: '正在向运营商核验号码与姓名、身份证号码…',
        QUERYING: '正在向各运营商查询电话卡数量…',
        FAILED: '查询未成功。如手机号码与姓名、身份证号码不一致，您将收到说明短信，请核对信息后于24小时后重新查询。已销号的号码无法查询，也收不到短信。'
      }
    }
  }[KIND];

  var STATUS_TEXT = {
    ACCEPTED: '已受理，等待核验',
    VERIFYING: KINDS.status.VERIFYING,
    QUERYING: KINDS.status.QUERYING,
    NOTIFYING: '正在发送结果短信…',
    DONE: '查询完成：结果短信已发出，请在手机上查收来自 10699000 的短信。',
    FAILED: KINDS.status.FAILED
  };

  // ---------------------------------------------------------------- small helpers

  function $(id) { return document.getElementById(id); }

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  /** "2026年11月30日 16:00" in the reader's own time zone. */
  function localDateTime(date) {
    try {
      return new Intl.DateTimeFormat('zh-CN', {
        year: 'numeric', month: 'long', day: 'numeric',
        hour: '2-digit', minute: '2-digit', hour12: false
      }).format(date);
    } catch (e) {
      return date.getFullYear() + '年' + (date.getMonth() + 1) + '月' + date.getDate() + '日 ' +
        pad(date.getHours()) + ':' + pad(date.getMinutes());
    }
  }

  /** A wait in seconds as people say it: "45秒", "3分钟", "23小时59分钟". */
  function humanWait(seconds) {
    seconds = Math.max(1, Math.ceil(seconds));
    if (seconds < 60) { return seconds + '秒'; }
    if (seconds < 3600) { return Math.ceil(seconds / 60) + '分钟'; }
    var h = Math.floor(seconds / 3600);
    var m = Math.ceil((seconds % 3600) / 60);
    if (m === 60) { h += 1; m = 0; }
    return m === 0 ? h + '小时' : h + '小时' + m + '分钟';
  }

  /** "请于3分钟后再试", or for long waits the local time: "请于2026年11月29日 09:38后再试（约24小时后）". */
  function retryPhrase(seconds, fallback) {
    if (seconds === null || seconds === undefined) { return '请于' + fallback + '后再试'; }
    if (seconds >= 3600) {
      return '请于' + localDateTime(new Date(Date.now() + seconds * 1000)) + '后再试（约' + humanWait(seconds) + '后）';
    }
    return '请于' + humanWait(seconds) + '后再试';
  }

  function normalizePhone(raw) {
    var s = String(raw || '').replace(/[\s\-]/g, '');
    if (/^\+86\d{11}$/.test(s)) { s = s.slice(3); } else if (/^86\d{11}$/.test(s)) { s = s.slice(2); }
    return s;
  }

  /** SPEC §13: trimmed, U+3000 read as a space, inner runs of spaces made one, U+30FB and U+2022 read as ·. */
  function normalizeName(raw) {
    return String(raw || '').replace(/\u3000/g, ' ').replace(/[\u30FB\u2022]/g, '\u00B7')
      .replace(/\s+/g, ' ').trim();
  }

  /** Why an ID number is refused (GB 11643: 17 digits, a check character, a real birth date), or null. */
  function idNumberProblem(id) {
    if (/^\d{15}$/.test(id)) { return '不支持15位的第一代身份证号码，请输入18位身份证号码'; }
    if (!ID_NUMBER_RE.test(id)) { return null; }
    var sum = 0;
    for (var i = 0; i < 17; i++) { sum += Number(id.charAt(i)) * ID_WEIGHTS[i]; }
    if (ID_CHECK.charAt(sum % 11) !== id.charAt(17)) { return '身份证号码校验位不正确，请逐位核对'; }
    var y = Number(id.substr(6, 4)), m = Number(id.substr(10, 2)), d = Number(id.substr(12, 2));
    var born = new Date(Date.UTC(y, m - 1, d));
    if (y < 1900 || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born.getTime() > Date.now() + 8 * 3600 * 1000) {
      return '身份证号码中的出生日期不正确，请核对';
    }
    return null;
  }

  function maskPhone(phone) {
    return phone.length === 11 ? phone.slice(0, 3) + '****' + phone.slice(7) : phone;
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return s;
  }

  /**
   * One request to this origin. Resolves (never rejects) to
   * {status, data, error: {code, message, remainingAttempts}|null, retryAfter: seconds|null}.
   * status 0 means the network failed or the request timed out.
   */
  function call(method, path, body, headers) {
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var init = {
      method: method,
      headers: { 'Accept': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer'
    };
    if (controller) { init.signal = controller.signal; }
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (headers) { Object.keys(headers).forEach(function (k) { init.headers[k] = headers[k]; }); }
    return fetch(path, init).then(function (res) {
      var retry = parseInt(res.headers.get('Retry-After') || '', 10);
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        var error = null;
        if (!res.ok) {
          var e = data && data.error ? data.error : {};
          error = {
            code: e.code || 'HTTP_' + res.status,
            message: e.message || '',
            remainingAttempts: typeof e.remainingAttempts === 'number' ? e.remainingAttempts
              : (data && typeof data.remainingAttempts === 'number' ? data.remainingAttempts : null)
          };
        }
        return { status: res.status, data: data, error: error, retryAfter: isNaN(retry) ? null : retry };
      });
    }).catch(function () {
      return { status: 0, data: null, error: { code: 'NETWORK', message: '' }, retryAfter: null };
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    });
  }

  // ---------------------------------------------------------------- error messages (SPEC §2.6)

  /** The Chinese message for an error answer; every code of SPEC §2.6 has one. */
  function messageFor(res) {
    var err = res.error || {};
    var retry = function (fallback) { return retryPhrase(res.retryAfter, fallback); };
    switch (err.code) {
      case 'INVALID_PHONE':
        return '请输入正确的11位中国大陆手机号码';
      case 'UNSUPPORTED_NUMBER':
        return '暂不支持该号段的号码查询，请核对号码是否正确';
      case 'INVALID_ID_LAST6':
        return '请输入身份证号码后六位：前5位为数字，末位为数字或X';
      case 'INVALID_NAME':
        return '请输入与身份证一致的姓名：2至30个字，可含间隔号“·”，外文姓名各部分之间用一个空格';
      case 'INVALID_ID_NUMBER':
        return '请输入正确的18位身份证号码（末位可为X）；不支持15位的第一代身份证号码';
      case 'INVALID_FIELD':
        return '填写的信息不完整或格式不正确，请检查后重试';
      case 'INVALID_JSON':
      case 'UNSUPPORTED_MEDIA_TYPE':
      case 'PAYLOAD_TOO_LARGE':
      case 'METHOD_NOT_ALLOWED':
        return '请求未能被识别，请刷新页面后重试';
      case 'CAPTCHA_INVALID':
        return state.captchaKind === 'audio' ? '语音验证码错误或已失效，已为您更换一段，请重新收听并输入'
          : '图形验证码错误或已失效，已为您更换一张，请重新输入';
      case 'SMS_CODE_INVALID':
        if (err.remainingAttempts === 0) { return '短信验证码错误次数过多，该验证码已失效，请重新获取'; }
        return err.remainingAttempts !== null && err.remainingAttempts !== undefined
          ? '短信验证码错误，还可尝试' + err.remainingAttempts + '次'
          : '短信验证码错误，请核对后重新输入';
      case 'SMS_CODE_EXPIRED':
        return '短信验证码已失效或尚未获取，请重新获取';
      case 'NOT_FOUND':
        return '未找到该查询记录';
      case 'IDEMPOTENCY_KEY_REUSED':
        return '重复的提交请求，请刷新页面后重新填写';
      case 'SMS_CODE_TOO_FREQUENT':
        return '获取验证码过于频繁，' + retry('1分钟');
      case 'SMS_CODE_DAILY_LIMIT':
        return '该号码今日获取验证码次数已达上限，' + retry('24小时');
      case 'QUERY_LIMIT':
        return KINDS.queryLimit + retry('24小时');
      case 'RATE_LIMITED':
        return '访问过于频繁，' + retry('1分钟');
      case 'SMS_BUDGET_EXCEEDED':
        return '当前获取验证码的请求过多，' + retry('10分钟');
      case 'SERVICE_UNAVAILABLE':
        return '服务暂时繁忙，' + retry('几秒钟');
      case 'INTERNAL_ERROR':
        return '服务出现异常，请稍后重试';
      case 'NETWORK':
        return '网络连接异常，请检查网络后重试';
      default:
        return err.message || '请求未成功，请稍后重试';
    }
  }

  /** Which field an error belongs next to; null means the message goes above the submit button. */
  var FIELD_OF = {
    INVALID_PHONE: 'phone',
    UNSUPPORTED_NUMBER: 'phone',
    QUERY_LIMIT: 'phone',
    INVALID_ID_LAST6: 'idLast6',
    INVALID_NAME: 'name',
    INVALID_ID_NUMBER: 'idNumber',
    CAPTCHA_INVALID: 'captcha',
    SMS_CODE_INVALID: 'smsCode',
    SMS_CODE_EXPIRED: 'smsCode',
    SMS_CODE_TOO_FREQUENT: 'smsCode',
    SMS_CODE_DAILY_LIMIT: 'smsCode'
  };

  // ---------------------------------------------------------------- page state

  var els = {};
  var state = {
    captchaId: null,
    captchaKind: 'image',
    captchaTimer: null,
    countdownTimer: null,
    countdownEnds: 0,
    sendingCode: false,
    submitting: false,
    submitKey: null,
    submitBody: null,
    queryId: null,
    pollTimer: null,
    pollStarted: 0,
    pollFailures: 0,
    devInbox: false,
    inboxTimer: null,
    inboxPhone: null,
    inboxSeq: 0
  };

  var FIELDS = KINDS.fields;

  function setFieldError(field, message) {
    var input = els[field];
    var box = $(field + '-error');
    box.textContent = message || '';
    if (message) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  function setFormError(message) {
    els.formError.textContent = message || '';
  }

  function clearErrors(fields) {
    (fields || FIELDS).forEach(function (f) { setFieldError(f, ''); });
    setFormError('');
  }

  /** Shows an error answer next to its field (or above the submit button), and focuses that field. */
  function showError(res, fallbackField) {
    var msg = messageFor(res);
    var field = FIELD_OF[res.error && res.error.code];
    if (res.error && res.error.code === 'INVALID_FIELD' && fallbackField) { field = fallbackField; }
    if (field) {
      setFieldError(field, msg);
      els[field].focus();
    } else {
      setFormError(msg);
    }
  }

  // ---------------------------------------------------------------- captcha

  /** What the captcha field says for each kind (SPEC §2.1): the image stays the default. */
  var CAPTCHA_TEXT = {
    image: { label: '图形验证码', hint: '请输入图片中的4个字符，不区分大小写', length: 4, empty: '请填写图形验证码',
      format: '图形验证码为图片中的4个字符', expired: '图形验证码已过期，已为您更换一张，请重新输入' },
    audio: { label: '语音验证码', hint: '请输入语音中听到的6位数字', length: 6, empty: '请填写语音验证码（6位数字）',
      format: '语音验证码为6位数字', expired: '语音验证码已过期，已为您更换一段，请重新收听' }
  };

  function showCaptchaKind(kind) {
    var text = CAPTCHA_TEXT[kind];
    state.captchaKind = kind;
    els.captchaLabel.textContent = text.label;
    els.captchaHint.textContent = text.hint;
    els.captcha.setAttribute('maxlength', String(text.length));
    els.captcha.setAttribute('inputmode', kind === 'audio' ? 'numeric' : 'text');
    els.captchaAudioBox.hidden = kind !== 'audio';
  }

  /** A new captcha of the kind shown (or of {@code kind}); each one is single-use, so always a new one. */
  function loadCaptcha(kind) {
    kind = kind || state.captchaKind;
    if (state.captchaTimer) { clearTimeout(state.captchaTimer); state.captchaTimer = null; }
    state.captchaId = null;
    if (kind === 'image') { els.captchaImg.setAttribute('alt', '图形验证码图片，加载中'); }
    els.captchaRefresh.disabled = true;
    els.captchaListen.disabled = true;
    var body = kind === 'audio' ? { kind: 'audio' } : undefined;
    return call('POST', API + '/captcha', body).then(function (res) {
      els.captchaRefresh.disabled = false;
      els.captchaListen.disabled = false;
      var data = res.data || {};
      var url = String((kind === 'audio' ? data.audio : data.image) || '');
      var prefix = kind === 'audio' ? 'data:audio/wav;base64,' : 'data:image/png;base64,';
      if (res.status !== 201 || !data.captchaId || url.indexOf(prefix) !== 0) {
        if (kind === 'image') {
          els.captchaImg.removeAttribute('src');
          els.captchaImg.setAttribute('alt', '图形验证码加载失败');
        }
        setFieldError('captcha', CAPTCHA_TEXT[kind].label + '加载失败：' + messageFor(res) + '。可点击“' +
          (kind === 'audio' ? '听语音验证码' : '换一张') + '”重试');
        return false;
      }
      state.captchaId = data.captchaId;
      showCaptchaKind(kind);
      if (kind === 'audio') {
        els.captchaAudio.src = url;
      } else {
        els.captchaImg.src = url;
        els.captchaImg.setAttribute('alt', '图形验证码图片：4个字符。看不清可点击“换一张”或“听语音验证码”');
        els.captchaAudio.removeAttribute('src');
      }
      var ttl = Number(data.expiresInSeconds) || 120;
      // renew a few seconds before it expires, so the reader never types into a dead captcha
      state.captchaTimer = setTimeout(function () {
        var typed = els.captcha.value !== '';
        els.captcha.value = '';
        loadCaptcha().then(function () {
          if (typed) { setFieldError('captcha', CAPTCHA_TEXT[state.captchaKind].expired); }
        });
      }, Math.max(5, ttl - 3) * 1000);
      return true;
    });
  }

  // ---------------------------------------------------------------- SMS code

  function startCountdown(seconds) {
    if (state.countdownTimer) { clearInterval(state.countdownTimer); }
    state.countdownEnds = Date.now() + Math.max(1, seconds) * 1000;
    var tick = function () {
      var left = Math.ceil((state.countdownEnds - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(state.countdownTimer);
        state.countdownTimer = null;
        els.sendCode.disabled = false;
        els.sendCode.textContent = '重新获取验证码';
        return;
      }
      els.sendCode.disabled = true;
      els.sendCode.textContent = left + '秒后可重新获取';
    };
    tick();
    state.countdownTimer = setInterval(tick, 1000);
  }

  /** SPEC §7: nothing is sent before the consent box is ticked; says so next to the box. */
  function consentGiven() {
    if (els.consent.checked) { return true; }
    els.consentError.textContent = '请先阅读并勾选“我已阅读并同意《个人信息处理说明》”';
    els.consent.setAttribute('aria-invalid', 'true');
    els.consent.focus();
    return false;
  }

  function requestCode() {
    if (state.sendingCode || state.countdownTimer) { return; }
    clearErrors(['phone', 'captcha', 'smsCode']);
    els.sendCodeStatus.textContent = '';
    if (!consentGiven()) { return; }
    var phone = normalizePhone(els.phone.value);
    var captcha = els.captcha.value.trim();
    var bad = null;
    if (!phone) {
      setFieldError('phone', '请填写手机号码'); bad = bad || 'phone';
    } else if (!PHONE_RE.test(phone)) {
      setFieldError('phone', messageFor({ error: { code: 'INVALID_PHONE' }, retryAfter: null })); bad = bad || 'phone';
    }
    var text = CAPTCHA_TEXT[state.captchaKind];
    if (!captcha) {
      setFieldError('captcha', text.empty); bad = bad || 'captcha';
    } else if (!(state.captchaKind === 'audio' ? AUDIO_CAPTCHA_RE : CAPTCHA_RE).test(captcha)) {
      setFieldError('captcha', text.format); bad = bad || 'captcha';
    }
    if (!bad && !state.captchaId) {
      setFieldError('captcha', text.label + '尚未加载，请点击“换一张”或“听语音验证码”'); bad = 'captcha';
    }
    if (bad) { els[bad].focus(); return; }

    state.sendingCode = true;
    els.sendCode.disabled = true;
    els.sendCode.textContent = '正在发送…';
    var body = { phone: phone, captchaId: state.captchaId, captchaCode: captcha };
    if (KINDS.purpose) { body.purpose = KINDS.purpose; }
    call('POST', API + '/sms-codes', body).then(function (res) {
      state.sendingCode = false;
      // the captcha is single-use, right or wrong: always a fresh one for the next try
      els.captcha.value = '';
      loadCaptcha();
      if (res.status === 202) {
        var resend = Number(res.data && res.data.resendAfterSeconds) || 60;
        var ttl = Number(res.data && res.data.expiresInSeconds) || 300;
        els.sendCodeStatus.textContent = '验证码已发送至 ' + maskPhone(phone) + '，' +
          Math.round(ttl / 60) + '分钟内有效，请查看手机短信。';
        startCountdown(resend);
        els.smsCode.focus();
        refreshInboxSoon();
        return;
      }
      els.sendCode.disabled = false;
      els.sendCode.textContent = '获取验证码';
      showError(res, 'phone');
      if (res.error && res.error.code === 'SMS_CODE_TOO_FREQUENT' && res.retryAfter) {
        startCountdown(res.retryAfter);
      }
    });
  }

  // ---------------------------------------------------------------- submission and status

  function submitQuery(event) {
    event.preventDefault();
    if (state.submitting) { return; }
    clearErrors(FIELDS.filter(function (f) { return f !== 'captcha'; }));
    setFieldError('captcha', '');
    if (!consentGiven()) { return; }
    var phone = normalizePhone(els.phone.value);
    var code = els.smsCode.value.trim();
    var bad = null;
    var mark = function (field, message) { setFieldError(field, message); bad = bad || field; };
    if (!phone) {
      mark('phone', '请填写手机号码');
    } else if (!PHONE_RE.test(phone)) {
      mark('phone', codeMessage('INVALID_PHONE'));
    }
    var body = KIND === 'cards' ? readIdentity(mark) : readIdLast6(mark);
    if (!code) {
      mark('smsCode', '请填写短信验证码（先点击“获取验证码”）');
    } else if (!SMS_CODE_RE.test(code)) {
      mark('smsCode', '短信验证码为6位数字');
    }
    if (bad) { els[bad].focus(); return; }
    body.phone = phone;
    body.smsCode = code;
    var serialized = JSON.stringify(body);
    // the same key for a retry of the same body, so a lost answer is replayed, not refused
    if (state.submitBody !== serialized) {
      state.submitBody = serialized;
      state.submitKey = randomKey();
    }
    state.submitting = true;
    els.submit.disabled = true;
    els.submit.textContent = '正在提交…';
    call('POST', API + KINDS.endpoint, body, { 'Idempotency-Key': state.submitKey }).then(function (res) {
      state.submitting = false;
      els.submit.disabled = false;
      els.submit.textContent = '提交查询';
      if (res.status === 202 && res.data && res.data.queryId) {
        accepted(res.data);
        return;
      }
      if (res.status !== 0) {
        // anything but a network failure is a final answer for this body
        state.submitBody = null;
      }
      showError(res, 'smsCode');
    });
  }

  function codeMessage(code) {
    return messageFor({ error: { code: code }, retryAfter: null });
  }

  /** /accounts: the ID card's last six characters. */
  function readIdLast6(mark) {
    var idLast6 = els.idLast6.value.trim().toUpperCase();
    if (!idLast6) {
      mark('idLast6', '请填写身份证号码后六位');
    } else if (!ID_LAST6_RE.test(idLast6)) {
      mark('idLast6', codeMessage('INVALID_ID_LAST6'));
    }
    return { idLast6: idLast6 };
  }

  /** /cards: the name and the whole ID number, checked as the service checks them (SPEC §13). */
  function readIdentity(mark) {
    var name = normalizeName(els.name.value);
    var idNumber = els.idNumber.value.replace(/\s/g, '').toUpperCase();
    if (!name) {
      mark('name', '请填写姓名');
    } else if (Array.from(name).length < 2 || Array.from(name).length > 30 || !NAME_RE.test(name)) {
      mark('name', codeMessage('INVALID_NAME'));
    }
    var problem = idNumber ? idNumberProblem(idNumber) : null;
    if (!idNumber) {
      mark('idNumber', '请填写身份证号码');
    } else if (problem) {
      mark('idNumber', problem);
    } else if (!ID_NUMBER_RE.test(idNumber)) {
      mark('idNumber', codeMessage('INVALID_ID_NUMBER'));
    }
    return { name: name, idNumber: idNumber };
  }

  function accepted(data) {
    els.smsCode.value = '';
    els.sendCodeStatus.textContent = '';
    state.submitBody = null;
    state.queryId = data.queryId;
    var deadline = new Date(data.deadline);
    els.noticeSender.textContent = data.senderNumber || '10699000';
    els.noticeDeadline.setAttribute('datetime', data.deadline);
    els.noticeDeadline.textContent = isNaN(deadline.getTime()) ? data.deadline : localDateTime(deadline);
    showStatus(data.status || 'ACCEPTED');
    els.notice.hidden = false;
    els.notice.focus();
    state.pollStarted = Date.now();
    state.pollFailures = 0;
    schedulePoll(1500);
    refreshInboxSoon();
  }

  function showStatus(status) {
    els.status.textContent = STATUS_TEXT[status] || status;
    els.status.className = status === 'FAILED' ? 'status-failed' : (status === 'DONE' ? 'status-done' : '');
    els.status.setAttribute('data-status', status);
    els.noticeTitle.textContent = status === 'DONE' ? '查询已完成' : (status === 'FAILED' ? '查询未成功' : '查询已受理');
    els.notice.classList.toggle('card-failed', status === 'FAILED');
  }

  function schedulePoll(ms) {
    if (state.pollTimer) { clearTimeout(state.pollTimer); }
    state.pollTimer = setTimeout(poll, ms);
  }

  function pollInterval() {
    var elapsed = Date.now() - state.pollStarted;
    if (elapsed < 2 * 60 * 1000) { return 2000; }
    if (elapsed < 10 * 60 * 1000) { return 10000; }
    return 60000;
  }

  function poll() {
    state.pollTimer = null;
    var id = state.queryId;
    if (!id) { return; }
    call('GET', API + '/queries/' + encodeURIComponent(id)).then(function (res) {
      if (id !== state.queryId) { return; }
      if (res.status === 200 && res.data && res.data.status) {
        state.pollFailures = 0;
        var before = els.status.getAttribute('data-status');
        showStatus(res.data.status);
        if (before !== res.data.status) { refreshInboxSoon(); }
        if (!FINAL[res.data.status]) { schedulePoll(pollInterval()); }
        return;
      }
      if (res.error && res.error.code === 'NOT_FOUND') {
        els.status.textContent = '未找到该查询记录。查询记录在截止时间7天后清除；结果短信以手机收到的为准。';
        return;
      }
      // transient: keep trying, more slowly, and say so
      state.pollFailures += 1;
      els.status.textContent = (STATUS_TEXT[els.status.getAttribute('data-status')] || '') +
        '（进度暂时无法更新，正在重试）';
      var backoff = Math.min(60000, 2000 * Math.pow(2, state.pollFailures));
      schedulePoll(Math.max(backoff, (res.retryAfter || 0) * 1000));
    });
  }

  // ---------------------------------------------------------------- enterprises

  function safeUrl(url) {
    try {
      var u = new URL(url, window.location.href);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function loadEnterprises() {
    call('GET', API + '/enterprises').then(function (res) {
      var rows = els.hotlineRows;
      while (rows.firstChild) { rows.removeChild(rows.firstChild); }
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.enterprises)) {
        els.hotlinesError.hidden = false;
        els.hotlinesError.textContent = '企业列表加载失败：' + messageFor(res) + '。请刷新页面重试。';
        return;
      }
      res.data.enterprises.forEach(function (e) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-enterprise', e.id || '');
        var name = document.createElement('th');
        name.setAttribute('scope', 'row');
        name.appendChild(document.createTextNode(e.name || ''));
        var apps = document.createElement('span');
        apps.className = 'apps';
        apps.textContent = (e.apps || []).join('、');
        name.appendChild(apps);
        tr.appendChild(name);

        var tel = document.createElement('td');
        if (e.hotline) {
          var a = document.createElement('a');
          a.className = 'tel';
          a.href = 'tel:' + String(e.hotline).replace(/[^\d+]/g, '');
          a.textContent = e.hotline;
          // the name contains the visible number as it is shown (WCAG 2.5.3, axe 4.14's label-content-name-mismatch)
          a.setAttribute('aria-label', (e.name || '') + '客服电话 ' + e.hotline);
          tel.appendChild(a);
        } else {
          tel.textContent = '—';
        }
        tr.appendChild(tel);

        var guide = document.createElement('td');
        var href = e.guideUrl ? safeUrl(e.guideUrl) : null;
        if (href) {
          var g = document.createElement('a');
          g.href = href;
          g.target = '_blank';
          g.rel = 'noopener noreferrer';
          g.textContent = '查看指引';
          var extra = document.createElement('span');
          extra.className = 'visually-hidden';
          extra.textContent = '：' + (e.name || '') + '解绑与明细查询（在新窗口打开）';
          g.appendChild(extra);
          guide.appendChild(g);
        } else {
          guide.textContent = '—';
        }
        tr.appendChild(guide);
        rows.appendChild(tr);
      });
    });
  }

  // ---------------------------------------------------------------- dev-only simulator inbox

  /** The inbox is shown when the service says its simulators run (GET /api/v1/page-config). */
  function enableDevInbox() {
    state.devInbox = true;
    els.inbox.hidden = false;
    els.phone.addEventListener('input', function () { refreshInboxSoon(400); });
    els.inboxRefresh.addEventListener('click', function () { refreshInbox(); });
    refreshInbox();
    setInterval(function () {
      if (!document.hidden) { refreshInbox(); }
    }, 3000);
  }

  // ---------------------------------------------------------------- page configuration

  /** The operator's contact, the notice's retention figures, and whether the dev inbox exists. */
  function loadPageConfig() {
    call('GET', API + '/page-config').then(function (res) {
      var config = res.status === 200 && res.data ? res.data : {};
      showOperatorContact(config.operatorContact || {});
      showFigures(config.retention || {});
      if (typeof config.sender === 'string' && config.sender) { showSender(config.sender); }
      if (config.devInbox === true) { enableDevInbox(); }
    });
  }

  var CONTACT_LABELS = [['name', ''], ['phone', '电话：'], ['email', '电子邮箱：'], ['hours', '服务时间：']];

  function showOperatorContact(contact) {
    var box = els.operatorContact;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var any = false;
    CONTACT_LABELS.forEach(function (pair) {
      var value = contact[pair[0]];
      if (typeof value !== 'string' || !value) { return; }
      if (any) { box.appendChild(document.createElement('br')); }
      any = true;
      var span = document.createElement('span');
      span.setAttribute('data-contact', pair[0]);
      if (pair[0] === 'phone') {
        var a = document.createElement('a');
        a.href = 'tel:' + value.replace(/[^\d+]/g, '');
        a.textContent = value;
        span.appendChild(document.createTextNode(pair[1]));
        span.appendChild(a);
      } else if (pair[0] === 'email') {
        var m = document.createElement('a');
        m.href = 'mailto:' + value;
        m.textContent = value;
        span.appendChild(document.createTextNode(pair[1]));
        span.appendChild(m);
      } else {
        span.textContent = pair[1] + value;
      }
      box.appendChild(span);
    });
    if (!any) { box.textContent = '运营方联系方式暂未公布，请稍后再试。'; }
  }

  /** Writes the configured figures into every <span data-figure="…"> of the notice and the hints. */
  function showFigures(retention) {
    var figures = {};
    if (retention.captchaSeconds) { figures.captchaSeconds = String(retention.captchaSeconds); }
    if (retention.smsCodeSeconds) { figures.smsCodeMinutes = String(Math.round(retention.smsCodeSeconds / 60)); }
    if (retention.queryWindowSeconds) { figures.queryWindowHours = String(Math.round(retention.queryWindowSeconds / 3600)); }
    if (retention.deadlineSeconds) { figures.deadlineHours = String(Math.round(retention.deadlineSeconds / 3600)); }
    var spans = document.querySelectorAll('[data-figure]');
    for (var i = 0; i < spans.length; i++) {
      var v = figures[spans[i].getAttribute('data-figure')];
      if (v) { spans[i].textContent = v; }
    }
  }

  /** The configured sender in every <strong class="sender">, so that a person knows which texts to look for. */
  function showSender(sender) {
    var spans = document.querySelectorAll('.sender');
    for (var i = 0; i < spans.length; i++) { spans[i].textContent = sender; }
  }

  function refreshInboxSoon(ms) {
    if (!state.devInbox) { return; }
    if (state.inboxTimer) { clearTimeout(state.inboxTimer); }
    state.inboxTimer = setTimeout(refreshInbox, ms === undefined ? 300 : ms);
  }

  function refreshInbox() {
    if (!state.devInbox) { return; }
    var phone = normalizePhone(els.phone.value);
    var list = els.inboxList;
    if (!PHONE_RE.test(phone)) {
      state.inboxPhone = null;
      els.inboxFor.textContent = '请先在上面填写11位手机号码。';
      while (list.firstChild) { list.removeChild(list.firstChild); }
      return;
    }
    var seq = ++state.inboxSeq;
    call('GET', '/dev/sms?phone=' + encodeURIComponent(phone)).then(function (res) {
      if (seq !== state.inboxSeq) { return; }
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.messages)) {
        els.inboxFor.textContent = '收件箱暂时无法读取：' + messageFor(res);
        return;
      }
      var messages = res.data.messages;
      var changed = state.inboxPhone !== phone || list.children.length !== messages.length;
      state.inboxPhone = phone;
      if (!changed) { return; }
      els.inboxFor.textContent = '发往 ' + maskPhone(phone) + ' 的短信：' +
        (messages.length ? messages.length + '条' : '暂无');
      while (list.firstChild) { list.removeChild(list.firstChild); }
      messages.forEach(function (m) {
        var li = document.createElement('li');
        var meta = document.createElement('span');
        meta.className = 'inbox-meta';
        var when = new Date(m.receivedAt);
        meta.textContent = '发件号码 ' + (m.sender || '') + ' · ' +
          (isNaN(when.getTime()) ? (m.receivedAt || '') : localDateTime(when) + ':' + pad(when.getSeconds()));
        var text = document.createElement('span');
        text.className = 'inbox-text';
        text.textContent = m.text || '';
        li.appendChild(meta);
        li.appendChild(text);
        list.appendChild(li);
      });
    });
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    els.form = $('query-form');
    els.phone = $('phone');
    els.idLast6 = $('idLast6');
    els.name = $('name');
    els.idNumber = $('idNumber');
    els.captcha = $('captcha');
    els.smsCode = $('smsCode');
    els.captchaImg = $('captcha-img');
    els.captchaRefresh = $('captcha-refresh');
    els.captchaListen = $('captcha-listen');
    els.captchaAudio = $('captcha-audio');
    els.captchaAudioBox = $('captcha-audio-box');
    els.captchaLabel = $('captcha-label');
    els.captchaHint = $('captcha-hint');
    els.sendCode = $('send-code');
    els.sendCodeStatus = $('send-code-status');
    els.submit = $('submit');
    els.formError = $('form-error');
    els.notice = $('notice');
    els.noticeSender = $('notice-sender');
    els.noticeTitle = $('notice-title');
    els.noticeDeadline = $('notice-deadline');
    els.status = $('status');
    els.inbox = $('inbox');
    els.inboxFor = $('inbox-for');
    els.inboxList = $('inbox-list');
    els.inboxRefresh = $('inbox-refresh');
    els.hotlineRows = $('hotline-rows');
    els.hotlinesError = $('hotlines-error');
    els.consent = $('consent');
    els.consentError = $('consent-error');
    els.operatorContact = $('operator-contact');

    els.form.addEventListener('submit', submitQuery);
    els.sendCode.addEventListener('click', requestCode);
    els.captchaRefresh.addEventListener('click', function () {
      els.captcha.value = '';
      setFieldError('captcha', '');
      loadCaptcha('image').then(function () { els.captcha.focus(); });
    });
    // a new spoken captcha each time; the player takes the focus so a screen reader user can play it
    els.captchaListen.addEventListener('click', function () {
      els.captcha.value = '';
      setFieldError('captcha', '');
      loadCaptcha('audio').then(function (ok) { if (ok) { els.captchaAudio.focus(); } });
    });
    els.captchaImg.addEventListener('click', function () { els.captchaRefresh.click(); });
    els.consent.addEventListener('change', function () {
      if (els.consent.checked) {
        els.consentError.textContent = '';
        els.consent.removeAttribute('aria-invalid');
      }
    });
    // typing into a field clears its stale error
    FIELDS.forEach(function (f) {
      els[f].addEventListener('input', function () {
        if (els[f].getAttribute('aria-invalid') === 'true') { setFieldError(f, ''); }
      });
    });
    [els.idLast6, els.idNumber].forEach(function (input) {
      if (!input) { return; }
      input.addEventListener('input', function () {
        var v = input.value;
        var up = v.replace(/x/g, 'X');
        if (up !== v) { input.value = up; }
      });
    });
    // Enter in the captcha field asks for the code rather than submitting the query
    els.captcha.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); requestCode(); }
    });

    loadCaptcha();
    if (els.hotlineRows) { loadEnterprises(); }
    loadPageConfig();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
