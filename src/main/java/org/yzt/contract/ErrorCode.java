package org.yzt.contract;

/** The error codes of SPEC §2.6, with their HTTP status and the message people read. */
public enum ErrorCode {
  INVALID_JSON(400, "请求格式不正确"),
  INVALID_PHONE(400, "请输入正确的中国大陆手机号码"),
  UNSUPPORTED_NUMBER(400, "暂不支持该号段的号码查询"),
  INVALID_ID_LAST6(400, "请输入身份证号码后六位（5位数字加1位数字或X）"),
  INVALID_ID_NUMBER(400, "请输入正确的18位居民身份证号码"),
  INVALID_NAME(400, "请输入正确的姓名（2至30个字，可含“·”和单个空格）"),
  INVALID_FIELD(400, "请求字段缺失或格式不正确"),
  CAPTCHA_INVALID(400, "图形验证码错误或已失效，请刷新后重新输入"),
  SMS_CODE_INVALID(400, "短信验证码错误"),
  SMS_CODE_EXPIRED(400, "短信验证码已失效，请重新获取"),
  NOT_FOUND(404, "请求的资源不存在"),
  METHOD_NOT_ALLOWED(405, "不支持该请求方法"),
  IDEMPOTENCY_KEY_REUSED(409, "该幂等键已用于另一个请求"),
  PAYLOAD_TOO_LARGE(413, "请求内容过大"),
  UNSUPPORTED_MEDIA_TYPE(415, "请求内容类型须为 application/json"),
  SMS_CODE_TOO_FREQUENT(429, "获取验证码过于频繁，请稍后再试"),
  SMS_CODE_DAILY_LIMIT(429, "该号码今日获取验证码次数已达上限，请稍后再试"),
  QUERY_LIMIT(429, "该号码24小时内已查询过，请稍后再试"),
  RATE_LIMITED(429, "请求过于频繁，请稍后再试"),
  SMS_BUDGET_EXCEEDED(429, "当前获取验证码的请求过多，请稍后再试"),
  SERVICE_UNAVAILABLE(503, "服务暂时不可用，请稍后再试"),
  INTERNAL_ERROR(500, "服务内部错误，请稍后再试");

  public final int status;
  public final String message;

  ErrorCode(int status, String message) {
    this.status = status;
    this.message = message;
  }

  /** The code named by an event-bus failure message, or null when it names none of ours. */
  public static ErrorCode fromName(String name) {
    if (name == null) {
      return null;
    }
    for (ErrorCode c : values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
