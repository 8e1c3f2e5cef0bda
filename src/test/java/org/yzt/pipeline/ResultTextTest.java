package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yzt.config.EnterpriseConfig;

class ResultTextTest {
  static final List<EnterpriseConfig> EIGHT = List.of(
      e("tencent", "微信", "QQ"), e("alibaba", "淘宝"), e("alipay", "支付宝"), e("baidu", "百度"),
      e("kuaishou", "快手"), e("douyin", "抖音"), e("jd", "京东"), e("meituan", "美团"));

  static EnterpriseConfig e(String id, String... apps) {
    return EnterpriseConfig.from(new JsonObject().put("id", id).put("apps", new JsonArray(List.of((Object[]) apps)))
        .put("baseUrl", "http://x").put("keyId", "k").put("secret", "s"));
  }

  @Test
  void theSpecExample() {
    Map<String, Map<String, Integer>> answers = Map.of(
        "tencent", Map.of("微信", 1, "QQ", 2), "alibaba", Map.of("淘宝", 1), "alipay", Map.of("支付宝", 1),
        "baidu", Map.of("百度", 0), "kuaishou", Map.of(), "douyin", Map.of("抖音", 1), "jd", Map.of("京东", 0),
        "meituan", Map.of("美团", 1));
    assertEquals("【一证通查】您的号码138****8000关联的互联网账号：微信1个，QQ2个，淘宝1个，支付宝1个，百度0个，快手0个，抖音1个，"
        + "京东0个，美团1个，共7个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。",
        ResultText.result("13800138000", EIGHT, answers));
  }

  @Test
  void missingEnterprisesReadUnavailableAndAreLeftOutOfTheTotal() {
    Map<String, Map<String, Integer>> answers = Map.of("alibaba", Map.of("淘宝", 3), "meituan", Map.of("美团", 1));
    assertEquals("【一证通查】您的号码186****4321关联的互联网账号：微信暂无法查询，QQ暂无法查询，淘宝3个，支付宝暂无法查询，"
        + "百度暂无法查询，快手暂无法查询，抖音暂无法查询，京东暂无法查询，美团1个，共4个。如有异议，请在查询页“解绑与明细查询”"
        + "或拨打企业客服电话处理。", ResultText.result("18612344321", EIGHT, answers));
  }

  @Test
  void theFailureText() {
    assertEquals("【一证通查】您的查询未通过身份核验：手机号码与身份证号码后六位不一致。请核对后于24小时后重新查询。", ResultText.FAILURE);
  }

  static final List<org.yzt.config.CarrierConfig> CARRIERS = List.of(c("cmcc", "中国移动"), c("cucc", "中国联通"),
      c("ctcc", "中国电信"), c("cbn", "中国广电"));

  static org.yzt.config.CarrierConfig c(String id, String name) {
    return new org.yzt.config.CarrierConfig(id, name, java.util.Set.of(), "https://x", "k", "s", 3000, 20, 5000);
  }

  @Test
  void thePhoneCardResultIsSpec6sTextWithUnansweredCarriersLeftOutOfTheTotal() {
    // SPEC §6, word for word
    assertEquals("【一证通查】您名下登记的电话卡：中国移动2张，中国联通0张，中国电信1张，中国广电0张，共3张。"
        + "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。",
        ResultText.cardResult(CARRIERS, Map.of("cmcc", 2, "cucc", 0, "ctcc", 1, "cbn", 0)));
    assertEquals("【一证通查】您名下登记的电话卡：中国移动2张，中国联通暂无法查询，中国电信3张，中国广电暂无法查询，共5张。"
        + "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。",
        ResultText.cardResult(CARRIERS, Map.of("cmcc", 2, "ctcc", 3)));
    assertEquals("【一证通查】您名下登记的电话卡：中国广电暂无法查询，共0张。如有异议，请携带本人有效身份证件到相应运营商营业厅处理。",
        ResultText.cardResult(List.of(c("cbn", "中国广电")), Map.of()));
  }
}
