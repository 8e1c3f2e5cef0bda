/*
 * 长辈模式 (elder mode, SPEC §7 "For everyone") on every page: larger text and targets, stronger
 * contrast, the captcha twice as wide, the long guide folded. Loaded in <head> without defer so the
 * class is on <html> before the first paint (no flash of the small page). `?mode=elder` or
 * `?mode=normal` in the address chooses, and the choice is remembered in localStorage.
 */
(function () {
  'use strict';

  var KEY = 'yzt.mode';
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(mode) {
    try { window.localStorage.setItem(KEY, mode); } catch (e) { /* private browsing: this visit only */ }
  }

  function fromAddress() {
    var m = /[?&]mode=(elder|normal)(?:&|$)/.exec(window.location.search);
    return m ? m[1] : null;
  }

  var asked = fromAddress();
  if (asked) { remember(asked); }
  var elder = (asked || stored()) === 'elder';
  root.classList.toggle('elder', elder);

  /** The long guide (<details data-fold>) is folded in elder mode and open in the normal page. */
  function foldGuides() {
    var folds = document.querySelectorAll('details[data-fold]');
    for (var i = 0; i < folds.length; i++) {
      if (elder) { folds[i].removeAttribute('open'); } else { folds[i].setAttribute('open', ''); }
    }
  }

  function showSwitch(button) {
    button.setAttribute('aria-pressed', elder ? 'true' : 'false');
    // the state in words, not by colour alone
    var state = button.querySelector('.mode-state');
    if (state) { state.textContent = elder ? '：已开启' : '：未开启'; }
  }

  function set(mode) {
    elder = mode === 'elder';
    root.classList.toggle('elder', elder);
    remember(mode);
    foldGuides();
    var button = document.getElementById('mode-switch');
    if (button) { showSwitch(button); }
    document.dispatchEvent(new CustomEvent('yzt:mode', { detail: { elder: elder } }));
  }

  function init() {
    var button = document.getElementById('mode-switch');
    foldGuides();
    if (!button) { return; }
    showSwitch(button);
    button.addEventListener('click', function () { set(elder ? 'normal' : 'elder'); });
  }

  window.YZT_MODE = { set: set, isElder: function () { return elder; } };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
